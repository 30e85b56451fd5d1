// SPDX-License-Identifier: AGPL-3.0-or-later
// Real image files for upload tests, made with libvips (and exiftool for EXIF tags).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace cleanai::testing {

// A w x h image with a colour gradient, encoded as jpeg | png | webp | heic.
std::string MakeImage(const std::string& format, int width, int height);

// `jpeg` with EXIF GPS position, capture time and a camera serial number added.
std::string WithExifGps(const std::string& jpeg, double lat, double lng);

// The EXIF/XMP tags exiftool finds in `bytes` that identify a place or a device
// (GPS*, SerialNumber, …), as "Tag: value" lines; empty when there are none.
std::string IdentifyingMetadata(const std::string& bytes);

struct FilePart {
  std::string field, filename, content_type, data;
};

// A multipart/form-data body; returns {content type with boundary, body}.
std::pair<std::string, std::string> Multipart(
    const std::vector<std::pair<std::string, std::string>>& fields,
    const std::vector<FilePart>& files);

// Number of files under `dir`, recursively (0 if it does not exist).
int CountFiles(const std::string& dir);

}  // namespace cleanai::testing
