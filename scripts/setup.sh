#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Installs the Debian packages the project needs, once. Idempotent: it asks apt only
# for packages that are missing, so a second run costs a dpkg query.
set -euo pipefail

BUILD_PACKAGES=(
  g++ cmake ninja-build pkg-config make
  ccache  # a rebuild of unchanged sources (CI's three builds of a fresh clone) from the cache
  libboost1.81-dev libboost-json1.81-dev
  libsodium-dev libssl-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev
  libtomlplusplus-dev libexpected-dev
  libvips-dev
  libmimalloc-dev  # the server's allocator: no lock shared by the I/O threads
  libsystemd-dev  # sd_notify: the packaged service is Type=notify
  libopencv-dnn-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
  libgtest-dev libgmock-dev
)
TEST_PACKAGES=(postgresql-15 wrk openssl curl libimage-exiftool-perl libvips-tools python3-aiosmtpd
               python3-cryptography python3-onnx python3-torch
               python3-opencv  # ai/train.py: decoding and augmenting the training photos
               chromium fonts-noto-core
               clang-14 libclang-rt-14-dev  # fuzzing: clang's libFuzzer and sanitizers
               clang-format-14  # make lint: the C++ layout
               swift swift-proxy swift-account swift-container swift-object memcached  # S3 tests
               nginx-light  # the cluster test: nginx in front of three instances
               prometheus  # make lint: promtool checks deploy/prometheus
               lintian  # make test-package: the Debian package's checks
               libxml2-utils)  # the e2e: xmllint checks the Atom feeds against tests/atom.rng

want=("${BUILD_PACKAGES[@]}")
# The web app builds with Node.js >= 20 and npm; Debian's own packages only if none exists.
command -v npm >/dev/null || want+=(nodejs npm)
# The outside attackers of `make security-scan` (not needed by `make test`).
SECURITY_PACKAGES=(sqlmap wapiti)
if [[ "${1:-}" == "--test" ]]; then want+=("${TEST_PACKAGES[@]}"); fi
if [[ "${1:-}" == "--security" ]]; then want+=("${TEST_PACKAGES[@]}" "${SECURITY_PACKAGES[@]}"); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi
