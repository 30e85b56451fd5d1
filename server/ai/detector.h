// SPDX-License-Identifier: AGPL-3.0-or-later
// Waste detection with a YOLOv8 network in its raw-head ONNX form on OpenCV's dnn module.
//
// The model contract (docs/ai.md): input "images" [1, 3, S, S] (S = 640 unless the model
// card says another size from 320 to 640), RGB scaled to 0..1, letterboxed with grey 114;
// output [1, 64 + nc, A]: for each anchor of the S/8, S/16 and S/32 square grids (A =
// 8400 at 640; strides 8, 16, 32, in that order) four sides × 16
// distribution-focal-loss logits, then nc class logits. OpenCV 4.6 cannot run the box
// decoding that a stock export puts in the graph, so it happens here: softmax over each
// side's 16 bins, the expected bin × stride from the anchor's centre, class sigmoid,
// a confidence threshold and class-wise non-maximum suppression.
//
// Beside the model: <model>.names (one class name a line, in output order) and
// <model>.mapping ("class name = waste type" lines) that turn the model's classes into
// the project's waste types; <model>.card.json, where ai/train.py wrote one, gives the
// size it was trained at ("input_size").
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace cv {
class Mat;
}

namespace cleanai {

// A box in the photo as shown (after EXIF rotation), normalised to 0..1: top-left and size.
struct Detection {
  double x = 0, y = 0, w = 0, h = 0;
  int class_id = 0;
  std::string class_name = {};
  std::string waste_type = {};  // from the mapping; empty when the class is not mapped
  double confidence = 0;
};

struct DetectorOptions {
  double confidence = 0.25;  // class probability below which a box is dropped
  double iou = 0.45;         // NMS: a box overlapping a better one of its class more is dropped
};

// Intersection over union of two boxes.
double Iou(const Detection& a, const Detection& b);

// The share of the picture covered by the union of the boxes (0..1), on a 200×200 grid.
double CoveredShare(const std::vector<Detection>& boxes);

struct ModelFiles {
  std::vector<std::string> names;
  std::map<std::string, std::string> mapping;  // class name → waste type
  int input_size = 640;                        // the network's square input, in pixels
};
// Reads <model>.names, <model>.mapping and (when present) <model>.card.json, checking
// every mapped waste type is one of `waste_types` and the card's input size is a multiple
// of 32 from 320 to 640. Clear errors name the file and line.
Result<ModelFiles> ReadModelFiles(const std::string& model_path,
                                  const std::vector<std::string>& waste_types);

class Detector {
 public:
  ~Detector();
  // Loads the network and proves it: a forward pass on a blank input must give
  // [1, 64 + names, anchors of the input size]. A missing, corrupt or wrong-shaped model is an
  // error, never a crash.
  static Result<std::unique_ptr<Detector>> Load(const std::string& model_path, ModelFiles files,
                                                DetectorOptions options);
  // Decodes a photo (JPEG, PNG, WebP, HEIC; shrink-on-load to the input size, EXIF
  // rotation) and detects. Not thread-safe: one Detector per worker thread.
  Result<std::vector<Detection>> DetectPhoto(std::string_view bytes);
  // Detects on an RGB 8-bit image of any size.
  Result<std::vector<Detection>> DetectRgb(const cv::Mat& rgb);

  // The network's raw output for a ready [1, 3, S, S] input (parity checks).
  Result<std::vector<float>> ForwardRaw(const std::vector<float>& nchw);

  const ModelFiles& files() const { return files_; }

 private:
  Detector() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  ModelFiles files_;
  DetectorOptions options_;
};

}  // namespace cleanai
