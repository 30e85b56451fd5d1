// SPDX-License-Identifier: AGPL-3.0-or-later
// The learning loop's export: admins' confirmed labels as a YOLO-format data set in a tar
// archive (data.yaml, images/<report>.jpg, labels/<report>.txt), for retraining.
#pragma once

#include <string>
#include <vector>

namespace cleanai {

// An uncompressed POSIX ustar archive, written in memory.
class TarWriter {
 public:
  // `name` at most 100 bytes of ASCII; `mtime` in Unix seconds.
  void Add(const std::string& name, const std::string& data, int64_t mtime);
  // The archive with its two closing zero blocks.
  std::string Finish();

 private:
  std::string out_;
};

struct LabelBox {
  double x = 0, y = 0, w = 0, h = 0;  // normalised top-left and size, as the API speaks
};

// One YOLO label line per box: "<class> <centre x> <centre y> <width> <height>", six
// decimals, boxes clipped to the picture.
std::string YoloLabels(int class_index, const std::vector<LabelBox>& boxes);

// data.yaml for Ultralytics: the class names in index order.
std::string DataYaml(const std::vector<std::string>& class_names);

}  // namespace cleanai
