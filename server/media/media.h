// SPDX-License-Identifier: AGPL-3.0-or-later
// Photos: decode (JPEG, PNG, WebP, HEIC, sniffed from the bytes), refuse decompression
// bombs, read the EXIF GPS position and capture time, auto-rotate, strip all metadata,
// re-encode as JPEG at a bounded size with a thumbnail, and store content-addressed.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/router.h"
#include "media/object_store.h"

namespace cleanai {

struct PhotoLimits {
  int64_t max_pixels = 50'000'000;  // width x height of the source; beyond: refused
  int max_dimension = 2048;         // longest side of the stored image
  int thumbnail_dimension = 400;
};

struct StoredPhoto {
  std::string image_key;  // SHA-256 of the stored JPEG, hex
  std::string thumbnail_key;
  int width = 0, height = 0;               // of the stored image
  std::string source_format;               // jpeg | png | webp | heif
  std::optional<double> gps_lat, gps_lng;  // from EXIF, before stripping
  std::optional<std::string> captured_at;  // EXIF DateTimeOriginal as "YYYY-MM-DDTHH:MM:SS"
  bool created_image = false;              // this call wrote the file (so a rollback may delete it)
  bool created_thumbnail = false;
};

// Starts libvips; call once before any other function. Returns false if it cannot.
bool InitMedia(const char* argv0);

// URL path of a stored file: /media/<key>.jpg
std::string MediaUrl(const std::string& key);

class MediaStore {
 public:
  // Photos go to `objects`: a local folder or an S3 bucket (object_store.h).
  explicit MediaStore(std::unique_ptr<ObjectStore> objects);

  // Processes and stores a photo. InvalidArgument (field "photo") when the bytes are not
  // a JPEG/PNG/WebP/HEIC image, are truncated or corrupt, or exceed the pixel limit;
  // InsufficientStorage or Unavailable when the store cannot keep it. Thread-safe.
  Result<StoredPhoto> Store(std::string_view bytes, const PhotoLimits& limits) const;

  // Deletes the objects that `photo` created (after a failed transaction).
  void Discard(const StoredPhoto& photo) const;

  // The stored bytes of `key`; NotFound when the key is malformed or nothing is stored.
  Result<std::string> Read(const std::string& key) const;

  ObjectStore& objects() const { return *objects_; }

 private:
  std::unique_ptr<ObjectStore> objects_;
};

// Stored images are named by content hash and served through cleanai from either store
// (the bucket stays private: see docs/architecture.md).
// Whether the reader (nobody when signed out) may fetch stored file `key`: the reports
// domain answers (an admin may hide a report's photos from public view).
using MediaGate =
    std::function<Result<bool>(const std::string& key, const std::optional<Principal>& reader)>;
// GET /media/<key>.jpg. A public photo is cached by anyone for five minutes (so a photo an
// admin hides stops being served from caches soon after); a hidden one only privately.
void RegisterMediaRoutes(Router& router, const MediaStore& store, MediaGate gate);

}  // namespace cleanai
