// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ai/dataset.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace cleanai {

void TarWriter::Add(const std::string& name, const std::string& data, int64_t mtime) {
  char h[512] = {};
  std::snprintf(h, 100, "%s", name.c_str());
  std::snprintf(h + 100, 8, "%07o", 0644);
  std::snprintf(h + 108, 8, "%07o", 0);
  std::snprintf(h + 116, 8, "%07o", 0);
  std::snprintf(h + 124, 12, "%011llo", static_cast<unsigned long long>(data.size()));
  std::snprintf(h + 136, 12, "%011llo", static_cast<unsigned long long>(mtime));
  std::memset(h + 148, ' ', 8);  // the checksum counts its own field as spaces
  h[156] = '0';                  // a regular file
  std::memcpy(h + 257, "ustar", 6);
  std::memcpy(h + 263, "00", 2);
  std::snprintf(h + 265, 32, "cleanai");
  std::snprintf(h + 297, 32, "cleanai");
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(h + 148, 8, "%06o", sum);
  h[155] = ' ';
  out_.append(h, sizeof h);
  out_ += data;
  out_.append((512 - data.size() % 512) % 512, '\0');
}

std::string TarWriter::Finish() {
  out_.append(1024, '\0');
  return std::move(out_);
}

std::string YoloLabels(int class_index, const std::vector<LabelBox>& boxes) {
  std::string out;
  for (const auto& b : boxes) {
    const double x1 = std::clamp(b.x, 0.0, 1.0), y1 = std::clamp(b.y, 0.0, 1.0);
    const double x2 = std::clamp(b.x + b.w, 0.0, 1.0), y2 = std::clamp(b.y + b.h, 0.0, 1.0);
    if (x2 <= x1 || y2 <= y1) continue;
    char line[128];
    std::snprintf(line, sizeof line, "%d %.6f %.6f %.6f %.6f\n", class_index, (x1 + x2) / 2,
                  (y1 + y2) / 2, x2 - x1, y2 - y1);
    out += line;
  }
  return out;
}

std::string DataYaml(const std::vector<std::string>& class_names) {
  std::string out =
      "# CleanAI admins' confirmed labels (YOLO format). Split images/ and labels/ into\n"
      "# train and val folders as you prefer, then: yolo detect train data=data.yaml\n"
      "path: .\ntrain: images\nval: images\nnames:\n";
  for (size_t i = 0; i < class_names.size(); ++i) {
    out += "  " + std::to_string(i) + ": " + class_names[i] + "\n";
  }
  return out;
}

}  // namespace cleanai
