// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ai/records.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

namespace cleanai {
namespace {

boost::json::value ParseStoredJson(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return ec ? boost::json::value(boost::json::array{}) : v;
}

// Boxes as stored ([{x, y, w, h}]); anything else reads as none.
std::vector<LabelBox> ReadBoxes(const std::string& text) {
  std::vector<LabelBox> boxes;
  boost::json::value v = ParseStoredJson(text);
  if (!v.is_array()) return boxes;
  for (const auto& b : v.as_array()) {
    const auto* o = b.if_object();
    if (!o || !o->contains("x") || !o->contains("y") || !o->contains("w") || !o->contains("h"))
      continue;
    boxes.push_back({o->at("x").to_number<double>(), o->at("y").to_number<double>(),
                     o->at("w").to_number<double>(), o->at("h").to_number<double>()});
  }
  return boxes;
}

}  // namespace

boost::json::value LabelBoxesJson(const std::vector<LabelBox>& boxes) {
  boost::json::array out;
  for (const auto& b : boxes) {
    out.push_back(boost::json::object{{"x", b.x}, {"y", b.y}, {"w", b.w}, {"h", b.h}});
  }
  return out;
}

Result<ReportAnalyses> AiRecords::Analyses(const std::string& report_id) {
  auto results = db_.Execute(
      "SELECT photo, detections, detected_type, confidence, coverage, latency_ms, model, "
      "created_at FROM ai_results WHERE report_id = $1 ORDER BY photo DESC",
      {report_id});
  auto job = db_.Execute(
      "SELECT status FROM ai_jobs WHERE report_id = $1 AND photo = 'report' "
      "ORDER BY created_at DESC LIMIT 1",
      {report_id});
  auto label = db_.Execute(
      "SELECT waste_type, boxes, labeled_at FROM ai_labels WHERE report_id = $1", {report_id});
  if (!results) return Err(results.error());
  if (!job) return Err(job.error());
  if (!label) return Err(label.error());
  ReportAnalyses out;
  for (const auto& row : results->rows) {
    StoredAnalysis a;
    a.photo = row.Text("photo");
    a.detections = ParseStoredJson(row.Text("detections"));
    a.detected_type = row.OptText("detected_type");
    if (!row.IsNull("confidence")) a.confidence = row.Double("confidence");
    a.coverage = row.Double("coverage");
    a.latency_ms = row.Double("latency_ms");
    a.model = row.Text("model");
    a.analyzed_at = row.TimeText("created_at").value_or("");
    out.photos.push_back(std::move(a));
  }
  if (!job->rows.empty()) out.job_status = job->rows[0].Text("status");
  if (!label->rows.empty()) {
    const Row& l = label->rows[0];
    out.label = AdminLabel{l.Text("waste_type"), ParseStoredJson(l.Text("boxes")),
                           l.TimeText("labeled_at").value_or("")};
  }
  return out;
}

Result<TypeVerdict> AiRecords::Verdict(const std::string& report_id) {
  auto r = db_.Execute(
      "SELECT detected_type, confidence, citizen_type FROM ai_results WHERE report_id = $1 AND "
      "photo = 'report'",
      {report_id});
  if (!r) return Err(r.error());
  TypeVerdict v;
  if (r->rows.empty()) return v;
  const Row& row = r->rows[0];
  v.analysed = true;
  v.citizen_type = row.Text("citizen_type");
  v.ai_type = row.OptText("detected_type");
  if (v.ai_type) v.confidence = row.Double("confidence");
  return v;
}

Status AiRecords::SaveLabel(Connection& c, const std::string& report_id,
                            const std::string& waste_type, const std::vector<LabelBox>& boxes,
                            const std::string& admin_id) {
  auto ai_row =
      c.Execute("SELECT detected_type FROM ai_results WHERE report_id = $1 AND photo = 'report'",
                {report_id});
  if (!ai_row) return ai_row.error();
  Value ai_type = ai_row->rows.empty() || ai_row->rows[0].IsNull("detected_type")
                      ? Value(nullptr)
                      : Value(ai_row->rows[0].Text("detected_type"));
  auto up = c.Execute(
      "INSERT INTO ai_labels (report_id, waste_type, boxes, ai_type, labeled_by, labeled_at) "
      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (report_id) DO UPDATE SET "
      "waste_type = excluded.waste_type, boxes = excluded.boxes, ai_type = excluded.ai_type, "
      "labeled_by = excluded.labeled_by, labeled_at = excluded.labeled_at",
      {report_id, waste_type, boost::json::serialize(LabelBoxesJson(boxes)), ai_type, admin_id,
       FormatTime(clock_.Now())});
  if (!up) return up.error();
  return Status::Ok();
}

Result<AiFigures> AiRecords::Figures() {
  auto count = db_.Execute("SELECT COUNT(*) AS n FROM ai_results", {});
  auto lat =
      db_.Execute("SELECT latency_ms FROM ai_results ORDER BY created_at DESC LIMIT 1000", {});
  auto jobs = db_.Execute("SELECT status, COUNT(*) AS n FROM ai_jobs GROUP BY status", {});
  auto citizens = db_.Execute(
      "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN detected_type = citizen_type THEN 1 ELSE 0 "
      "END), 0) AS agree FROM ai_results WHERE photo = 'report' AND detected_type IS NOT NULL",
      {});
  auto confusion = db_.Execute(
      "SELECT waste_type, ai_type, COUNT(*) AS n FROM ai_labels GROUP BY waste_type, ai_type "
      "ORDER BY waste_type, ai_type",
      {});
  for (const auto* r : {&count, &lat, &jobs, &citizens, &confusion}) {
    if (!*r) return Err(r->error());
  }
  AiFigures f;
  f.photos_analysed = count->rows[0].Int("n");
  for (const auto& row : lat->rows) f.recent_latencies_ms.push_back(row.Double("latency_ms"));
  std::sort(f.recent_latencies_ms.begin(), f.recent_latencies_ms.end());
  for (const auto& row : jobs->rows) {
    const std::string s = row.Text("status");
    int64_t* slot = s == "queued"    ? &f.queued
                    : s == "running" ? &f.running
                    : s == "done"    ? &f.done
                    : s == "failed"  ? &f.failed
                                     : nullptr;
    if (slot) *slot = row.Int("n");
  }
  f.citizen_compared = citizens->rows[0].Int("n");
  f.citizen_agree = citizens->rows[0].Int("agree");
  for (const auto& row : confusion->rows) {
    ConfusionCell cell{row.Text("waste_type"), row.OptText("ai_type"), row.Int("n")};
    if (cell.ai_type) {
      f.admin_compared += cell.count;
      if (*cell.ai_type == cell.admin_type) f.admin_agree += cell.count;
    }
    f.confusion.push_back(std::move(cell));
  }
  return f;
}

Result<DatasetPage> AiRecords::Dataset(const std::string& after, int limit,
                                       const std::vector<std::string>& class_names) {
  auto rows = db_.Execute(
      "SELECT l.report_id, l.waste_type, l.boxes, r.image_key, a.detections FROM ai_labels l "
      "JOIN reports r ON r.id = l.report_id LEFT JOIN ai_results a ON a.report_id = l.report_id "
      "AND a.photo = 'report' WHERE l.report_id > $1 ORDER BY l.report_id LIMIT $2",
      {after, int64_t{limit}});
  if (!rows) return Err(rows.error());
  DatasetPage page;
  TarWriter tar;
  const int64_t mtime =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  tar.Add("data.yaml", DataYaml(class_names), mtime);
  for (const auto& row : rows->rows) {
    const std::string id = row.Text("report_id");
    const int cls =
        static_cast<int>(std::find(class_names.begin(), class_names.end(), row.Text("waste_type")) -
                         class_names.begin());
    std::vector<LabelBox> boxes = ReadBoxes(row.Text("boxes"));
    if (boxes.empty() && !row.IsNull("detections")) boxes = ReadBoxes(row.Text("detections"));
    if (boxes.empty()) continue;  // a photo without boxes would teach "nothing here"
    auto jpeg = media_.Read(row.Text("image_key"));
    if (!jpeg) continue;  // the file is gone: nothing to learn from
    tar.Add("images/" + id + ".jpg", *jpeg, mtime);
    tar.Add("labels/" + id + ".txt", YoloLabels(cls, boxes), mtime);
    ++page.images;
  }
  page.tar = tar.Finish();
  if (static_cast<int>(rows->rows.size()) == limit)
    page.next_cursor = rows->rows.back().Text("report_id");
  return page;
}

}  // namespace cleanai
