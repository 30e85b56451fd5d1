// SPDX-License-Identifier: AGPL-3.0-or-later
// What the AI has written about reports, read and written for the AI endpoints: a report's
// analyses, the verdict on the citizen's type, admin labels, the figures for admins and
// the YOLO data-set export. The background work that writes analyses is AiService.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ai/dataset.h"
#include "core/clock.h"
#include "media/media.h"
#include "storage/database.h"

namespace cleanai {

struct StoredAnalysis {
  std::string photo;              // "report" or "after"
  boost::json::value detections;  // the stored JSON array
  std::optional<std::string> detected_type;
  std::optional<double> confidence;  // with detected_type
  double coverage = 0;
  double latency_ms = 0;
  std::string model;
  std::string analyzed_at;
};

struct AdminLabel {
  std::string waste_type;
  boost::json::value boxes;  // [{x, y, w, h}]
  std::string labeled_at;
};

struct ReportAnalyses {
  std::vector<StoredAnalysis> photos;     // newest photo kind first
  std::optional<std::string> job_status;  // of the report photo's latest job
  std::optional<AdminLabel> label;
};

// The AI's opinion on the waste type the citizen filed (the type as filed, before any
// correction). No detection mapped to a type is no opinion, not a disagreement.
struct TypeVerdict {
  bool analysed = false;
  std::string citizen_type;
  std::optional<std::string> ai_type;
  double confidence = 0;
};

struct ConfusionCell {
  std::string admin_type;
  std::optional<std::string> ai_type;
  int64_t count = 0;
};

struct AiFigures {
  int64_t photos_analysed = 0;
  std::vector<double> recent_latencies_ms;  // sorted, the newest 1,000 analyses
  int64_t queued = 0, running = 0, done = 0, failed = 0;
  int64_t citizen_compared = 0, citizen_agree = 0;
  int64_t admin_compared = 0, admin_agree = 0;
  std::vector<ConfusionCell> confusion;
};

struct DatasetPage {
  std::string tar;
  int64_t images = 0;
  std::optional<std::string> next_cursor;  // when the page was full
};

class AiRecords {
 public:
  AiRecords(Database& db, const Clock& clock, const MediaStore& media)
      : db_(db), clock_(clock), media_(media) {}

  Result<ReportAnalyses> Analyses(const std::string& report_id);
  Result<TypeVerdict> Verdict(const std::string& report_id);
  // Writes (or replaces) the admin's label in `c`'s transaction, with what the AI said.
  Status SaveLabel(Connection& c, const std::string& report_id, const std::string& waste_type,
                   const std::vector<LabelBox>& boxes, const std::string& admin_id);
  Result<AiFigures> Figures();
  // Labelled reports after `after` (a report id), at most `limit`, as a YOLO tar. Boxes:
  // the admin's, else the AI's boxes of that photo under the admin's type; a photo with no
  // box or no file is left out. `class_names` index the labels.
  Result<DatasetPage> Dataset(const std::string& after, int limit,
                              const std::vector<std::string>& class_names);

 private:
  Database& db_;
  const Clock& clock_;
  const MediaStore& media_;
};

boost::json::value LabelBoxesJson(const std::vector<LabelBox>& boxes);

}  // namespace cleanai
