// SPDX-License-Identifier: AGPL-3.0-or-later
#include "testing/images.h"

#include <unistd.h>
#include <vips/vips.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/crypto.h"
#include "testing/test_server.h"

namespace cleanai::testing {
namespace {

std::string TempPath(const std::string& ext) {
  return "/tmp/cleanai-img-" + std::to_string(getpid()) + "-" + NewUuidV7() + ext;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string MakeImage(const std::string& format, int width, int height) {
  static bool init = VIPS_INIT("cleanai-test") == 0;
  if (!init) throw std::runtime_error("libvips failed to start");
  VipsImage *x = nullptr, *rgb = nullptr, *u8 = nullptr;
  // A diagonal gradient in three bands: real content, so encoders do real work.
  if (vips_xyz(&x, width, height, NULL) != 0) throw std::runtime_error(vips_error_buffer());
  VipsImage* sum = nullptr;
  if (vips_bandjoin_const1(x, &sum, 128.0, NULL) != 0)
    throw std::runtime_error(vips_error_buffer());
  if (vips_cast_uchar(sum, &u8, NULL) != 0) throw std::runtime_error(vips_error_buffer());
  if (vips_copy(u8, &rgb, "interpretation", VIPS_INTERPRETATION_sRGB, NULL) != 0) {
    throw std::runtime_error(vips_error_buffer());
  }
  void* buf = nullptr;
  size_t len = 0;
  int rc = -1;
  if (format == "jpeg") rc = vips_jpegsave_buffer(rgb, &buf, &len, "Q", 90, NULL);
  if (format == "png") rc = vips_pngsave_buffer(rgb, &buf, &len, NULL);
  if (format == "webp") rc = vips_webpsave_buffer(rgb, &buf, &len, NULL);
  if (format == "heic")
    rc = vips_heifsave_buffer(rgb, &buf, &len, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC,
                              NULL);
  g_object_unref(x);
  g_object_unref(sum);
  g_object_unref(u8);
  g_object_unref(rgb);
  if (rc != 0) throw std::runtime_error("cannot encode " + format + ": " + vips_error_buffer());
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  return out;
}

std::string WithExifGps(const std::string& jpeg, double lat, double lng) {
  std::string path = TempPath(".jpg");
  std::ofstream(path, std::ios::binary) << jpeg;
  char cmd[1024];
  std::snprintf(cmd, sizeof cmd,
                "exiftool -q -overwrite_original -GPSLatitude=%.6f -GPSLatitudeRef=%s "
                "-GPSLongitude=%.6f -GPSLongitudeRef=%s -DateTimeOriginal='2026:11:20 10:15:00' "
                "-SerialNumber=CAMERA-SN-12345 -Make=TestPhone '%s' 2>&1",
                std::abs(lat), lat >= 0 ? "N" : "S", std::abs(lng), lng >= 0 ? "E" : "W",
                path.c_str());
  std::string out = RunCommand(cmd);
  std::string result = ReadAll(path);
  std::filesystem::remove(path);
  if (result.size() <= jpeg.size()) throw std::runtime_error("exiftool failed: " + out);
  return result;
}

std::string IdentifyingMetadata(const std::string& bytes) {
  std::string path = TempPath(".bin");
  std::ofstream(path, std::ios::binary) << bytes;
  std::string out = RunCommand(
      "exiftool -s -GPSLatitude -GPSLongitude -GPSPosition -SerialNumber -Make -DateTimeOriginal "
      "'" +
      path + "' 2>&1");
  std::filesystem::remove(path);
  return out;
}

std::pair<std::string, std::string> Multipart(
    const std::vector<std::pair<std::string, std::string>>& fields,
    const std::vector<FilePart>& files) {
  std::string boundary = "----cleanai" + Base64UrlEncode(RandomBytes(12));
  std::string body;
  for (const auto& [name, value] : fields) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
            value + "\r\n";
  }
  for (const auto& f : files) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.field +
            "\"; filename=\"" + f.filename + "\"\r\nContent-Type: " + f.content_type + "\r\n\r\n" +
            f.data + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  return {"multipart/form-data; boundary=" + boundary, body};
}

int CountFiles(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return 0;
  int n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file()) ++n;
  }
  return n;
}

}  // namespace cleanai::testing
