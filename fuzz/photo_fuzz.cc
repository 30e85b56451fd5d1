// SPDX-License-Identifier: AGPL-3.0-or-later
// The photo pipeline: libvips loaders (JPEG, PNG, WebP, HEIC sniffed from the bytes) with
// the project's pixel limits, EXIF GPS and time reading, rotation, re-encoding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "media/media.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string root = "/tmp/cleanai-fuzz-media-" + std::to_string(getpid());
  static bool ready = cleanai::InitMedia("photo_fuzz");
  if (!ready) return 0;
  static cleanai::MediaStore store(cleanai::MakeLocalObjectStore(root));
  cleanai::PhotoLimits limits;
  limits.max_pixels = 4'000'000;  // small: the fuzzer should spend its time in parsers
  limits.max_dimension = 256;
  limits.thumbnail_dimension = 64;
  auto photo = store.Store(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (photo) store.Discard(*photo);
  return 0;
}
