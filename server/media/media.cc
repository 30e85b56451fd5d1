// SPDX-License-Identifier: AGPL-3.0-or-later
#include "media/media.h"

#include <vips/vips.h>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/crypto.h"
#include "core/log.h"
#include "http/problem.h"

namespace cleanai {
namespace {

// Owns a VipsImage reference.
struct ImageRef {
  VipsImage* p = nullptr;
  ~ImageRef() {
    if (p) g_object_unref(p);
  }
};

Status NotAnImage(const std::string& why) {
  vips_error_clear();
  return Status::InvalidArgument("the photo cannot be used: " + why, {{"photo", why}});
}

// "31/1 30/1 1234/100 (31, 30, 12.34, Rational, 3 components, 24 bytes)" -> 31.5034…
std::optional<double> RationalDegrees(const std::string& text) {
  std::istringstream in(text.substr(0, text.find(" (")));
  double parts[3] = {0, 0, 0};
  std::string token;
  for (int i = 0; i < 3 && in >> token; ++i) {
    size_t slash = token.find('/');
    double num = std::atof(token.substr(0, slash).c_str());
    double den = slash == std::string::npos ? 1 : std::atof(token.substr(slash + 1).c_str());
    if (den == 0) return std::nullopt;
    parts[i] = num / den;
  }
  return parts[0] + parts[1] / 60.0 + parts[2] / 3600.0;
}

std::optional<std::string> ExifString(VipsImage* img, const char* name) {
  if (vips_image_get_typeof(img, name) == 0) return std::nullopt;
  const char* v = nullptr;
  if (vips_image_get_string(img, name, &v) != 0 || !v) return std::nullopt;
  return std::string(v);
}

void ReadExif(VipsImage* img, StoredPhoto* out) {
  auto lat = ExifString(img, "exif-ifd3-GPSLatitude");
  auto lat_ref = ExifString(img, "exif-ifd3-GPSLatitudeRef");
  auto lng = ExifString(img, "exif-ifd3-GPSLongitude");
  auto lng_ref = ExifString(img, "exif-ifd3-GPSLongitudeRef");
  if (lat && lng) {
    auto la = RationalDegrees(*lat), lo = RationalDegrees(*lng);
    if (la && lo) {
      if (lat_ref && !lat_ref->empty() && (*lat_ref)[0] == 'S') *la = -*la;
      if (lng_ref && !lng_ref->empty() && (*lng_ref)[0] == 'W') *lo = -*lo;
      // (0,0) is what broken phones write when they have no fix.
      if (std::abs(*la) <= 90 && std::abs(*lo) <= 180 && !(*la == 0 && *lo == 0)) {
        out->gps_lat = *la;
        out->gps_lng = *lo;
      }
    }
  }
  auto when = ExifString(img, "exif-ifd2-DateTimeOriginal");
  if (when && when->size() >= 19) {
    std::string t = when->substr(0, 19);  // "2026:11:20 10:15:00"
    if (t[4] == ':' && t[7] == ':' && t[10] == ' ') {
      t[4] = '-';
      t[7] = '-';
      t[10] = 'T';
      out->captured_at = t;
    }
  }
}

// Encodes `img` as a metadata-free sRGB JPEG.
Result<std::string> EncodeJpeg(VipsImage* img) {
  ImageRef flat, srgb;
  VipsImage* cur = img;
  if (vips_image_hasalpha(cur)) {
    VipsArrayDouble* white = vips_array_double_newv(1, 255.0);
    int rc = vips_flatten(cur, &flat.p, "background", white, NULL);
    vips_area_unref(VIPS_AREA(white));
    if (rc != 0) return Err(NotAnImage("cannot flatten transparency"));
    cur = flat.p;
  }
  if (vips_colourspace(cur, &srgb.p, VIPS_INTERPRETATION_sRGB, NULL) != 0) {
    return Err(NotAnImage("unsupported colour space"));
  }
  void* buf = nullptr;
  size_t len = 0;
  if (vips_jpegsave_buffer(srgb.p, &buf, &len, "Q", 82, "strip", TRUE, "optimize_coding", TRUE,
                           NULL) != 0) {
    std::string err = vips_error_buffer();
    return Err(NotAnImage(err.find("runcat") != std::string::npos ||
                                  err.find("remature") != std::string::npos
                              ? "the file is truncated"
                              : "the image data is corrupt"));
  }
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  return out;
}

}  // namespace

bool InitMedia(const char* argv0) {
  static const bool ok = [argv0] {
    if (VIPS_INIT(argv0) != 0) return false;
    vips_cache_set_max(0);    // uploads are never reused; do not keep them around
    vips_concurrency_set(1);  // parallelism comes from the worker pool
    return true;
  }();
  return ok;
}

std::string MediaUrl(const std::string& key) { return "/media/" + key + ".jpg"; }

MediaStore::MediaStore(std::unique_ptr<ObjectStore> objects) : objects_(std::move(objects)) {}

Result<StoredPhoto> MediaStore::Store(std::string_view bytes, const PhotoLimits& limits) const {
  StoredPhoto out;
  const char* loader = vips_foreign_find_load_buffer(bytes.data(), bytes.size());
  std::string name = loader ? loader : "";
  if (name.find("Jpeg") != std::string::npos) {
    out.source_format = "jpeg";
  } else if (name.find("Png") != std::string::npos) {
    out.source_format = "png";
  } else if (name.find("Webp") != std::string::npos) {
    out.source_format = "webp";
  } else if (name.find("Heif") != std::string::npos) {
    out.source_format = "heif";
  } else {
    return Err(NotAnImage("must be a JPEG, PNG, WebP or HEIC image"));
  }

  // The header alone: dimensions and EXIF, before any pixel is decoded.
  ImageRef header;
  header.p = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", "access",
                                        VIPS_ACCESS_SEQUENTIAL, NULL);
  if (!header.p) return Err(NotAnImage("the image header is corrupt"));
  int64_t pixels = int64_t{vips_image_get_width(header.p)} * vips_image_get_height(header.p);
  if (pixels > limits.max_pixels) {
    return Err(NotAnImage("the image is too large (" + std::to_string(pixels / 1000000) +
                          " megapixels; at most " + std::to_string(limits.max_pixels / 1000000) +
                          ")"));
  }
  ReadExif(header.p, &out);

  // Decode with shrink-on-load, rotate upright per EXIF, bound the size.
  ImageRef main;
  if (vips_thumbnail_buffer(const_cast<char*>(bytes.data()), bytes.size(), &main.p,
                            limits.max_dimension, "height", limits.max_dimension, "size",
                            VIPS_SIZE_DOWN, "option_string", "fail_on=truncated", NULL) != 0) {
    return Err(NotAnImage("the image data is corrupt"));
  }
  auto jpeg = EncodeJpeg(main.p);
  if (!jpeg) return Err(jpeg.error());
  out.width = vips_image_get_width(main.p);
  out.height = vips_image_get_height(main.p);

  ImageRef thumb;
  if (vips_thumbnail_buffer(jpeg->data(), jpeg->size(), &thumb.p, limits.thumbnail_dimension,
                            "height", limits.thumbnail_dimension, "size", VIPS_SIZE_DOWN,
                            NULL) != 0) {
    return Err(NotAnImage("cannot make a thumbnail"));
  }
  auto thumb_jpeg = EncodeJpeg(thumb.p);
  if (!thumb_jpeg) return Err(thumb_jpeg.error());

  out.image_key = Sha256Hex(*jpeg);
  out.thumbnail_key = Sha256Hex(*thumb_jpeg);
  auto put_main = objects_->Put(out.image_key, *jpeg);
  if (!put_main) return Err(put_main.error());
  out.created_image = *put_main;
  auto put_thumb = objects_->Put(out.thumbnail_key, *thumb_jpeg);
  if (!put_thumb) {
    Discard(out);
    return Err(put_thumb.error());
  }
  out.created_thumbnail = *put_thumb;
  return out;
}

void MediaStore::Discard(const StoredPhoto& photo) const {
  // Best effort: what cannot be removed now is an orphan the sweeper removes later.
  if (photo.created_image) (void)objects_->Remove(photo.image_key);
  if (photo.created_thumbnail) (void)objects_->Remove(photo.thumbnail_key);
}

Result<std::string> MediaStore::Read(const std::string& key) const {
  if (!IsMediaKey(key)) return Err(Status::NotFound("no such file"));
  return objects_->Get(key);
}

void RegisterMediaRoutes(Router& router, const MediaStore& store, MediaGate gate) {
  router.Add("GET", "/media/:file", Access::OptionalUser(), [&store, gate](HttpRequest& req) {
    const std::string& file = req.path_params["file"];
    std::string key = file.size() == 68 && file.substr(64) == ".jpg" ? file.substr(0, 64) : "";
    if (key.empty() || !IsMediaKey(key)) {
      return ProblemResponse(Status::NotFound("no such file"), req.request_id);
    }
    auto allowed = gate(key, req.principal);
    if (!allowed) return ProblemResponse(allowed.error(), req.request_id);
    // A hidden photo is, for everyone else, a photo that does not exist.
    if (!*allowed) return ProblemResponse(Status::NotFound("no such file"), req.request_id);
    // Asked with the token: it may be hidden from others, so no shared cache keeps it.
    const char* cache = req.principal ? "private, max-age=300" : "public, max-age=300";
    if (req.Header("if-none-match") == "\"" + key + "\"") {
      auto known = store.objects().Stat(key);
      if (!known) return ProblemResponse(known.error(), req.request_id);
      if (!known->has_value())
        return ProblemResponse(Status::NotFound("no such file"), req.request_id);
      HttpResponse r = HttpResponse::Text(304, "", "");
      r.SetHeader("ETag", "\"" + key + "\"");
      r.SetHeader("Cache-Control", cache);
      return r;
    }
    auto bytes = store.Read(key);
    if (!bytes) return ProblemResponse(bytes.error(), req.request_id);
    HttpResponse r = HttpResponse::Text(200, "image/jpeg", std::move(*bytes));
    r.SetHeader("Cache-Control", cache);
    r.SetHeader("ETag", "\"" + key + "\"");
    return r;
  });
}

}  // namespace cleanai
