// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ai/detector.h"

#include <vips/vips.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <fstream>
#include <iterator>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

namespace cleanai {
namespace {

constexpr int kDecodeSize = 640;  // photos are decoded at most this size, then letterboxed
constexpr int kBins = 16;
constexpr int64_t kMaxPixels = 50'000'000;  // as for stored photos: refuse decompression bombs

// The stride and grid cell of every anchor, in the network's output order.
struct Anchor {
  float cx, cy, stride;
};
std::vector<Anchor> AnchorsFor(int input) {
  std::vector<Anchor> a;
  for (int stride : {8, 16, 32}) {
    const int g = input / stride;
    for (int y = 0; y < g; ++y) {
      for (int x = 0; x < g; ++x) {
        a.push_back({(x + 0.5f) * stride, (y + 0.5f) * stride, static_cast<float>(stride)});
      }
    }
  }
  return a;
}

// The expected bin of one side's 16 logits (softmax-weighted), stable for large logits.
double ExpectedBin(const float* out, size_t anchors, int side, int anchor) {
  std::array<double, kBins> v{};
  double top = -1e300;
  for (int b = 0; b < kBins; ++b) {
    v[b] = out[static_cast<size_t>(side * kBins + b) * anchors + anchor];
    top = std::max(top, v[b]);
  }
  double sum = 0, weighted = 0;
  for (int b = 0; b < kBins; ++b) {
    double e = std::exp(v[b] - top);
    sum += e;
    weighted += e * b;
  }
  return weighted / sum;
}

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

// Where the photo sits inside the 640×640 network input.
struct Letterbox {
  int width = 0, height = 0;  // of the image that was scaled (photo as shown, after shrink)
  double scale = 1;           // network pixels per image pixel
  int pad_x = 0, pad_y = 0;   // grey borders, left and top
};

struct VipsRef {
  VipsImage* p = nullptr;
  ~VipsRef() {
    if (p) g_object_unref(p);
  }
};

Letterbox LetterboxFor(int width, int height, int size) {
  Letterbox lb;
  lb.width = width;
  lb.height = height;
  lb.scale = std::min(static_cast<double>(size) / width, static_cast<double>(size) / height);
  const int w = static_cast<int>(std::lround(width * lb.scale));
  const int h = static_cast<int>(std::lround(height * lb.scale));
  lb.pad_x = (size - w) / 2;
  lb.pad_y = (size - h) / 2;
  return lb;
}

// Greedy NMS within each class, best first.
std::vector<Detection> SuppressOverlaps(std::vector<Detection> boxes, double iou) {
  std::stable_sort(boxes.begin(), boxes.end(), [](const Detection& a, const Detection& b) {
    return a.confidence > b.confidence;
  });
  std::vector<Detection> kept;
  for (const auto& d : boxes) {
    bool overlaps = false;
    for (const auto& k : kept) {
      if (k.class_id == d.class_id && Iou(k, d) > iou) {
        overlaps = true;
        break;
      }
    }
    if (!overlaps) kept.push_back(d);
  }
  return kept;
}

// Decodes the raw head `out` ([64 + nc] × anchors, channel-major as the network writes
// it) into boxes on the photo.
std::vector<Detection> DecodeRawHead(const float* out, int nc, const std::vector<Anchor>& anchors,
                                     const Letterbox& lb, const DetectorOptions& options) {
  const size_t n = anchors.size();
  // Class scores channel by channel (the tensor's memory order), the best class per anchor.
  std::vector<float> best(n, -1e30f);
  std::vector<int> best_class(n, 0);
  for (int c = 0; c < nc; ++c) {
    const float* row = out + static_cast<size_t>(4 * kBins + c) * n;
    for (size_t i = 0; i < n; ++i) {
      if (row[i] > best[i]) {
        best[i] = row[i];
        best_class[i] = c;
      }
    }
  }
  const double threshold = std::log(options.confidence / (1 - options.confidence));
  std::vector<Detection> found;
  for (size_t i = 0; i < n; ++i) {
    if (best[i] <= threshold) continue;
    const Anchor& a = anchors[i];
    const int k = static_cast<int>(i);
    const double l = ExpectedBin(out, n, 0, k) * a.stride, t = ExpectedBin(out, n, 1, k) * a.stride;
    const double r = ExpectedBin(out, n, 2, k) * a.stride, b = ExpectedBin(out, n, 3, k) * a.stride;
    Detection d;
    d.x = a.cx - l;  // network pixels until after NMS
    d.y = a.cy - t;
    d.w = l + r;
    d.h = t + b;
    d.class_id = best_class[i];
    d.confidence = 1 / (1 + std::exp(-static_cast<double>(best[i])));
    found.push_back(d);
  }
  std::vector<Detection> kept = SuppressOverlaps(std::move(found), options.iou);
  // Back to the photo, normalised and clipped to it.
  for (auto& d : kept) {
    double x1 = std::clamp((d.x - lb.pad_x) / lb.scale / lb.width, 0.0, 1.0);
    double y1 = std::clamp((d.y - lb.pad_y) / lb.scale / lb.height, 0.0, 1.0);
    double x2 = std::clamp((d.x + d.w - lb.pad_x) / lb.scale / lb.width, 0.0, 1.0);
    double y2 = std::clamp((d.y + d.h - lb.pad_y) / lb.scale / lb.height, 0.0, 1.0);
    d.x = x1;
    d.y = y1;
    d.w = x2 - x1;
    d.h = y2 - y1;
  }
  std::erase_if(kept, [](const Detection& d) { return d.w <= 0 || d.h <= 0; });
  return kept;
}

}  // namespace

double Iou(const Detection& a, const Detection& b) {
  const double ix = std::max(0.0, std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x));
  const double iy = std::max(0.0, std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y));
  const double inter = ix * iy;
  const double uni = a.w * a.h + b.w * b.h - inter;
  return uni > 0 ? inter / uni : 0;
}

double CoveredShare(const std::vector<Detection>& boxes) {
  constexpr int kGrid = 200;
  int covered = 0;
  for (int gy = 0; gy < kGrid; ++gy) {
    const double y = (gy + 0.5) / kGrid;
    for (int gx = 0; gx < kGrid; ++gx) {
      const double x = (gx + 0.5) / kGrid;
      for (const auto& b : boxes) {
        if (x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h) {
          ++covered;
          break;
        }
      }
    }
  }
  return static_cast<double>(covered) / (kGrid * kGrid);
}

Result<ModelFiles> ReadModelFiles(const std::string& model_path,
                                  const std::vector<std::string>& waste_types) {
  const std::string base = model_path.size() > 5 && model_path.ends_with(".onnx")
                               ? model_path.substr(0, model_path.size() - 5)
                               : model_path;
  ModelFiles files;
  std::ifstream names(base + ".names");
  if (!names) return Err(Status::InvalidArgument("cannot read the class names " + base + ".names"));
  for (std::string line; std::getline(names, line);) {
    line = Trim(line);
    if (!line.empty()) files.names.push_back(line);
  }
  if (files.names.empty() || files.names.size() > 1000) {
    return Err(Status::InvalidArgument(base + ".names must list 1 to 1000 class names"));
  }
  std::ifstream mapping(base + ".mapping");
  if (!mapping)
    return Err(Status::InvalidArgument("cannot read the class mapping " + base + ".mapping"));
  int n = 0;
  for (std::string line; std::getline(mapping, line);) {
    ++n;
    line = Trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    const std::string cls = eq == std::string::npos ? "" : Trim(line.substr(0, eq));
    const std::string type = eq == std::string::npos ? "" : Trim(line.substr(eq + 1));
    const std::string where = base + ".mapping line " + std::to_string(n);
    if (cls.empty() || type.empty())
      return Err(Status::InvalidArgument(where + ": want 'class = waste type'"));
    if (std::find(files.names.begin(), files.names.end(), cls) == files.names.end()) {
      return Err(
          Status::InvalidArgument(where + ": '" + cls + "' is not one of the model's classes"));
    }
    if (std::find(waste_types.begin(), waste_types.end(), type) == waste_types.end()) {
      return Err(Status::InvalidArgument(where + ": '" + type + "' is not a waste type"));
    }
    files.mapping[cls] = type;
  }
  // The size the model was trained at, from ai/train.py's model card when there is one.
  std::ifstream card_file(base + ".card.json");
  if (card_file) {
    const std::string text((std::istreambuf_iterator<char>(card_file)),
                           std::istreambuf_iterator<char>());
    boost::system::error_code ec;
    const boost::json::value card = boost::json::parse(text, ec);
    const boost::json::object* o = ec ? nullptr : card.if_object();
    const boost::json::value* size = o ? o->if_contains("input_size") : nullptr;
    if (!o) return Err(Status::InvalidArgument(base + ".card.json is not a JSON object"));
    if (size) {
      const int64_t* v = size->if_int64();
      if (!v || *v < 320 || *v > 640 || *v % 32 != 0) {
        return Err(Status::InvalidArgument(
            base + ".card.json: input_size must be a multiple of 32 from 320 to 640"));
      }
      files.input_size = static_cast<int>(*v);
    }
  }
  return files;
}

struct Detector::Impl {
  cv::dnn::Net net;
  std::vector<Anchor> anchors;
};

Detector::~Detector() = default;

Result<std::unique_ptr<Detector>> Detector::Load(const std::string& model_path, ModelFiles files,
                                                 DetectorOptions options) {
  std::unique_ptr<Detector> d(new Detector());
  d->impl_ = std::make_unique<Impl>();
  d->files_ = std::move(files);
  d->options_ = options;
  try {
    d->impl_->net = cv::dnn::readNetFromONNX(model_path);
    d->impl_->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    d->impl_->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    const int input = d->files_.input_size;
    d->impl_->anchors = AnchorsFor(input);
    const int anchors = static_cast<int>(d->impl_->anchors.size());
    cv::Mat blank(input, input, CV_8UC3, cv::Scalar(114, 114, 114));
    d->impl_->net.setInput(cv::dnn::blobFromImage(blank, 1 / 255.0));
    cv::Mat out = d->impl_->net.forward();
    const int channels = 4 * kBins + static_cast<int>(d->files_.names.size());
    if (out.dims != 3 || out.size[0] != 1 || out.size[1] != channels || out.size[2] != anchors) {
      std::string shape;
      for (int i = 0; i < out.dims; ++i) shape += (i ? "×" : "") + std::to_string(out.size[i]);
      return Err(Status::InvalidArgument(
          "the model's output is [" + shape + "], not the raw YOLOv8 head [1×" +
          std::to_string(channels) + "×" + std::to_string(anchors) + "] for " +
          std::to_string(d->files_.names.size()) + " classes at " + std::to_string(input) + "×" +
          std::to_string(input) + " (see docs/ai.md for how to export it)"));
    }
  } catch (const cv::Exception& e) {
    const std::string size = std::to_string(d->files_.input_size);
    return Err(Status::InvalidArgument("OpenCV cannot run the model " + model_path + " at " + size +
                                       "×" + size + ": " + e.msg));
  }
  return d;
}

Result<std::vector<Detection>> Detector::DetectRgb(const cv::Mat& rgb) {
  if (rgb.empty() || rgb.type() != CV_8UC3) return Err(Status::InvalidArgument("not an RGB image"));
  const int size = files_.input_size;
  const Letterbox lb = LetterboxFor(rgb.cols, rgb.rows, size);
  cv::Mat input(size, size, CV_8UC3, cv::Scalar(114, 114, 114));
  const int w = static_cast<int>(std::lround(rgb.cols * lb.scale));
  const int h = static_cast<int>(std::lround(rgb.rows * lb.scale));
  cv::Mat target = input(cv::Rect(lb.pad_x, lb.pad_y, w, h));
  if (w == rgb.cols && h == rgb.rows) {
    rgb.copyTo(target);
  } else {
    cv::resize(rgb, target, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);
  }
  cv::Mat out;
  try {
    impl_->net.setInput(cv::dnn::blobFromImage(input, 1 / 255.0));
    out = impl_->net.forward();
  } catch (const cv::Exception& e) {
    return Err(Status::Internal("inference failed: " + e.msg));
  }
  auto found = DecodeRawHead(out.ptr<float>(), static_cast<int>(files_.names.size()),
                             impl_->anchors, lb, options_);
  for (auto& d : found) {
    d.class_name = files_.names[d.class_id];
    auto m = files_.mapping.find(d.class_name);
    if (m != files_.mapping.end()) d.waste_type = m->second;
  }
  return found;
}

Result<std::vector<float>> Detector::ForwardRaw(const std::vector<float>& nchw) {
  const int size = files_.input_size;
  if (nchw.size() != 3u * size * size) {
    return Err(Status::InvalidArgument("want 3×" + std::to_string(size) + "×" +
                                       std::to_string(size) + " floats"));
  }
  const int shape[] = {1, 3, size, size};
  cv::Mat blob(4, shape, CV_32F, const_cast<float*>(nchw.data()));
  try {
    impl_->net.setInput(blob);
    cv::Mat out = impl_->net.forward();
    return std::vector<float>(out.ptr<float>(), out.ptr<float>() + out.total());
  } catch (const cv::Exception& e) {
    return Err(Status::Internal("inference failed: " + e.msg));
  }
}

Result<std::vector<Detection>> Detector::DetectPhoto(std::string_view bytes) {
  auto bad = [](const std::string& why) {
    return Err(Status::InvalidArgument(why, {{"photo", why}}));
  };
  if (!vips_foreign_find_load_buffer(bytes.data(), bytes.size())) {
    return bad("must be a JPEG, PNG, WebP or HEIC image");
  }
  VipsRef header;
  header.p = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", "access",
                                        VIPS_ACCESS_SEQUENTIAL, NULL);
  if (!header.p) return bad("the image header is corrupt");
  if (int64_t{vips_image_get_width(header.p)} * vips_image_get_height(header.p) > kMaxPixels) {
    return bad("the image is too large (at most 50 megapixels)");
  }
  // Shrink-on-load straight to the network's size (a 12-megapixel JPEG decodes at 1/4 or
  // 1/8 scale), upright per EXIF, 8-bit sRGB without alpha.
  VipsRef small, flat, srgb, uchar, rgb;
  if (vips_thumbnail_buffer(const_cast<char*>(bytes.data()), bytes.size(), &small.p, kDecodeSize,
                            "height", kDecodeSize, "size", VIPS_SIZE_DOWN, "option_string",
                            "fail_on=truncated", NULL) != 0) {
    vips_error_clear();
    return bad("the image data is corrupt");
  }
  VipsImage* in = small.p;
  if (vips_image_hasalpha(in)) {
    VipsArrayDouble* grey = vips_array_double_newv(1, 114.0);
    int rc = vips_flatten(in, &flat.p, "background", grey, NULL);
    vips_area_unref(VIPS_AREA(grey));
    if (rc != 0) return bad("cannot flatten the image");
    in = flat.p;
  }
  if (vips_colourspace(in, &srgb.p, VIPS_INTERPRETATION_sRGB, NULL) != 0 ||
      vips_cast_uchar(srgb.p, &uchar.p, NULL) != 0 ||
      vips_extract_band(uchar.p, &rgb.p, 0, "n", 3, NULL) != 0) {
    vips_error_clear();
    return bad("cannot convert the image to RGB");
  }
  size_t size = 0;
  void* pixels = vips_image_write_to_memory(rgb.p, &size);
  if (!pixels) {
    vips_error_clear();
    return bad("the image data is corrupt");
  }
  cv::Mat mat(vips_image_get_height(rgb.p), vips_image_get_width(rgb.p), CV_8UC3, pixels);
  auto result = DetectRgb(mat);
  g_free(pixels);
  return result;
}

}  // namespace cleanai
