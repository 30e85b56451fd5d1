// The AI endpoints: status, analyze (an upload, now), a report's analysis, verify, admin
// labels (the learning loop), stats and the YOLO data set export.
#include "ai/routes.h"

#include <algorithm>
#include <cmath>

#include <boost/json.hpp>

#include "ai/dataset.h"
#include "core/crypto.h"
#include "http/json_input.h"
#include "http/multipart.h"
#include "http/problem.h"
#include "http/rate_limiter.h"
#include "storage/audit.h"

namespace cleanai {
namespace {

boost::json::value OptJson(const std::optional<std::string>& s) {
  return s ? boost::json::value(*s) : boost::json::value(nullptr);
}

boost::json::object AnalysisJson(const PhotoAnalysis& a, const std::string& model) {
  boost::json::object o{{"detections", DetectionsJson(a.detections)},
                        {"detectedType", OptJson(a.detected_type)},
                        {"coverage", std::round(a.coverage * 1000) / 1000},
                        {"latencyMs", std::round(a.latency_ms * 10) / 10},
                        {"model", model}};
  o["confidence"] = a.detected_type ? boost::json::value(std::round(a.confidence * 1e4) / 1e4)
                                    : boost::json::value(nullptr);
  return o;
}

// The value at quantile q of sorted `v`.
double Quantile(const std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  size_t i = static_cast<size_t>(std::ceil(q * v.size())) - 1;
  return v[std::min(i, v.size() - 1)];
}

std::vector<std::string> WasteTypeCodes() {
  std::vector<std::string> codes;
  for (const auto& t : WasteTypes()) codes.push_back(t.code);
  return codes;
}

// Reads {"wasteType": code, "boxes": [{x, y, w, h}] (optional, ≤ 100, normalised)}.
Status ReadLabel(const std::string& body, std::string* type, std::optional<std::vector<LabelBox>>* boxes) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return Status::InvalidArgument("the body is not a JSON object");
  std::vector<FieldError> errors;
  const auto& o = v.as_object();
  for (const auto& [k, _] : o) {
    if (k != "wasteType" && k != "boxes") errors.push_back({std::string(k), "is not a known field"});
  }
  const auto* t = o.if_contains("wasteType");
  if (!t || !t->is_string() || !FindWasteType(std::string(t->as_string()))) {
    errors.push_back({"wasteType", "must be one of the codes from /api/waste-types"});
  } else {
    *type = std::string(t->as_string());
  }
  if (const auto* b = o.if_contains("boxes"); b && !b->is_null()) {
    const auto* arr = b->if_array();
    if (!arr || arr->size() > 100) {
      errors.push_back({"boxes", "must be a list of at most 100 {x, y, w, h}"});
    } else {
      std::vector<LabelBox> out;
      for (const auto& item : *arr) {
        const auto* box = item.if_object();
        auto num = [&](const char* k, double* dst) {
          const auto* f = box ? box->if_contains(k) : nullptr;
          if (!f || !f->is_number()) return false;
          *dst = f->to_number<double>();
          return std::isfinite(*dst) && *dst >= 0 && *dst <= 1;
        };
        LabelBox lb;
        if (!box || box->size() != 4 || !num("x", &lb.x) || !num("y", &lb.y) || !num("w", &lb.w) ||
            !num("h", &lb.h) || lb.w <= 0 || lb.h <= 0 || lb.x + lb.w > 1.0001 || lb.y + lb.h > 1.0001) {
          errors.push_back({"boxes", "each box is {x, y, w, h}, fractions of the photo, inside it"});
          break;
        }
        out.push_back(lb);
      }
      *boxes = std::move(out);
    }
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid label", errors);
  return Status::Ok();
}

}  // namespace

void RegisterAiRoutes(Router& router, AiService& ai, ReportService& reports, Database& db,
                      const Clock& clock, const MediaStore& media, const Config& config) {
  router.Add("GET", "/api/ai/status", Access::AnyUser(), [&ai](HttpRequest&) {
    boost::json::object o{{"enabled", ai.enabled()}};
    o["reason"] = ai.enabled() ? boost::json::value(nullptr) : boost::json::value(ai.disabled_reason());
    o["model"] = ai.enabled() ? boost::json::value(ai.model_name()) : boost::json::value(nullptr);
    if (const ModelFiles* f = ai.model_files()) {
      boost::json::object mapping;
      for (const auto& [cls, type] : f->mapping) mapping[cls] = type;
      o["classes"] = boost::json::value_from(f->names);
      o["mapping"] = std::move(mapping);
    }
    return HttpResponse::Json(200, o);
  });

  static RateLimiter analyses(config.ai_analyze_per_minute);
  router.AddUpload("POST", "/api/ai/analyze", Access::AnyUser(), [&ai](HttpRequest& req) {
    if (!ai.enabled()) {
      return ProblemResponse(Status::Unavailable("AI analysis is off: " + ai.disabled_reason()),
                             req.request_id);
    }
    if (req.body_file.empty()) {
      return ProblemResponse(Status::InvalidArgument("send the photo as multipart/form-data",
                                                     {{"Content-Type", "must be multipart/form-data"}}),
                             req.request_id);
    }
    auto form = MultipartForm::ParseFile(req.body_file, req.Header("content-type").value_or(""));
    if (!form) return ProblemResponse(form.error(), req.request_id);
    std::vector<FieldError> errors;
    for (const auto& p : form->parts()) {
      if (p.name != "photo") errors.push_back({p.name, "is not a known field"});
    }
    const MultipartPart* photo = form->File("photo");
    if (!photo || photo->data.empty()) errors.push_back({"photo", "is required (a file part)"});
    if (!errors.empty()) {
      return ProblemResponse(Status::InvalidArgument("invalid upload", errors), req.request_id);
    }
    if (int wait = analyses.Acquire(req.principal->user_id); wait > 0) {
      return ProblemResponse(Status::RateLimited("too many analyses; wait a little", wait),
                             req.request_id);
    }
    auto a = ai.AnalyzeNow(std::string(photo->data));
    if (!a) return ProblemResponse(a.error(), req.request_id);
    return HttpResponse::Json(200, AnalysisJson(*a, ai.model_name()));
  });

  // What the AI made of a report's photos, for whoever may see the report.
  router.Add("GET", "/api/ai/reports/:id", Access::AnyUser(), [&ai, &reports, &db](HttpRequest& req) {
    const std::string id = req.path_params["id"];
    auto report = reports.Get(*req.principal, id);
    if (!report) return ProblemResponse(report.error(), req.request_id);
    auto results = db.Execute(
        "SELECT photo, detections, detected_type, confidence, coverage, latency_ms, model, "
        "created_at FROM ai_results WHERE report_id = $1 ORDER BY photo DESC",
        {id});
    auto job = db.Execute(
        "SELECT status, error FROM ai_jobs WHERE report_id = $1 AND photo = 'report' "
        "ORDER BY created_at DESC LIMIT 1",
        {id});
    auto label = db.Execute(
        "SELECT waste_type, boxes, ai_type, labeled_at FROM ai_labels WHERE report_id = $1", {id});
    if (!results || !job || !label) {
      return ProblemResponse(Status::Internal("cannot read the analysis"), req.request_id);
    }
    boost::json::array photos;
    for (const auto& row : results->rows) {
      boost::json::object p{{"photo", row.Text("photo")},
                            {"detections", boost::json::parse(row.Text("detections"))},
                            {"detectedType", OptJson(row.OptText("detected_type"))},
                            {"coverage", row.Double("coverage")},
                            {"latencyMs", row.Double("latency_ms")},
                            {"model", row.Text("model")},
                            {"analyzedAt", FormatTime(row.Time("created_at").value_or(SystemTime{}))}};
      p["confidence"] = row.IsNull("confidence") ? boost::json::value(nullptr)
                                                 : boost::json::value(row.Double("confidence"));
      photos.push_back(std::move(p));
    }
    boost::json::object o{{"reportId", id},
                          {"enabled", ai.enabled()},
                          {"citizenType", report->waste_type},
                          {"photos", std::move(photos)}};
    o["job"] = job->rows.empty() ? boost::json::value(nullptr)
                                 : boost::json::value(job->rows[0].Text("status"));
    if (!label->rows.empty() && req.principal->role == "admin") {
      const Row& l = label->rows[0];
      o["label"] = boost::json::object{
          {"wasteType", l.Text("waste_type")},
          {"boxes", boost::json::parse(l.Text("boxes"))},
          {"labeledAt", FormatTime(l.Time("labeled_at").value_or(SystemTime{}))}};
    } else {
      o["label"] = nullptr;
    }
    return HttpResponse::Json(200, o);
  });

  // Does the AI agree with the citizen's waste type, and how sure is it?
  router.Add("POST", "/api/ai/verify", Access::AnyUser(), [&ai, &reports, &db](HttpRequest& req) {
    JsonInput in(req);
    auto id = in.String("reportId", {.required = true, .min = 1, .max = 64});
    if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
    auto report = reports.Get(*req.principal, *id);
    if (!report) return ProblemResponse(report.error(), req.request_id);
    auto r = db.Execute(
        "SELECT detected_type, confidence, citizen_type FROM ai_results WHERE report_id = $1 AND "
        "photo = 'report'",
        {*id});
    if (!r) return ProblemResponse(r.error(), req.request_id);
    boost::json::object o{{"reportId", *id}, {"citizenType", report->waste_type}};
    if (r->rows.empty()) {
      o["status"] = ai.enabled() ? "pending" : "unavailable";
      o["aiType"] = nullptr;
      o["confidence"] = nullptr;
      o["agrees"] = nullptr;
      if (!ai.enabled()) o["reason"] = ai.disabled_reason();
      return HttpResponse::Json(200, o);
    }
    auto type = r->rows[0].OptText("detected_type");
    const std::string citizen = r->rows[0].Text("citizen_type");  // as filed, before any correction
    o["citizenType"] = citizen;
    o["status"] = "done";
    o["aiType"] = OptJson(type);
    o["confidence"] = type ? boost::json::value(r->rows[0].Double("confidence")) : boost::json::value(nullptr);
    // No detection mapped to a waste type: the AI has no opinion, not a disagreement.
    o["agrees"] = type ? boost::json::value(*type == citizen) : boost::json::value(nullptr);
    return HttpResponse::Json(200, o);
  });

  // An admin confirms or corrects the waste type (and may give the boxes): the report's
  // type changes when corrected (audited), and the label joins the training data.
  router.Add("PUT", "/api/ai/reports/:id/label", Access::Roles({"admin"}),
             [&reports, &db, &clock](HttpRequest& req) {
               const std::string id = req.path_params["id"];
               auto report = reports.Get(*req.principal, id);
               if (!report) return ProblemResponse(report.error(), req.request_id);
               std::string type;
               std::optional<std::vector<LabelBox>> boxes;
               if (Status st = ReadLabel(req.body, &type, &boxes); !st.ok()) {
                 return ProblemResponse(st, req.request_id);
               }
               boost::json::array boxes_json;
               for (const auto& b : boxes.value_or(std::vector<LabelBox>{})) {
                 boxes_json.push_back(boost::json::object{{"x", b.x}, {"y", b.y}, {"w", b.w}, {"h", b.h}});
               }
               auto done = db.InTransaction<bool>([&](Connection& c) -> Result<bool> {
                 auto ai_row = c.Execute(
                     "SELECT detected_type FROM ai_results WHERE report_id = $1 AND photo = 'report'", {id});
                 if (!ai_row) return Err(ai_row.error());
                 Value ai_type = ai_row->rows.empty() || ai_row->rows[0].IsNull("detected_type")
                                     ? Value(nullptr)
                                     : Value(ai_row->rows[0].Text("detected_type"));
                 const std::string now = FormatTime(clock.Now());
                 auto up = c.Execute(
                     "INSERT INTO ai_labels (report_id, waste_type, boxes, ai_type, labeled_by, labeled_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (report_id) DO UPDATE SET "
                     "waste_type = excluded.waste_type, boxes = excluded.boxes, ai_type = excluded.ai_type, "
                     "labeled_by = excluded.labeled_by, labeled_at = excluded.labeled_at",
                     {id, type, boost::json::serialize(boxes_json), ai_type, req.principal->user_id, now});
                 if (!up) return Err(up.error());
                 if (type != report->waste_type) {
                   auto fix = c.Execute("UPDATE reports SET waste_type = $1, updated_at = $2 WHERE id = $3",
                                        {type, now, id});
                   if (!fix) return Err(fix.error());
                 }
                 boost::json::object details{{"from", report->waste_type}, {"to", type},
                                             {"boxes", static_cast<int64_t>(boxes_json.size())}};
                 CLEANAI_RETURN_IF_ERROR(WriteAudit(
                     c, clock,
                     {id, req.principal->user_id,
                      type == report->waste_type ? "report.type_confirmed" : "report.type_corrected",
                      std::nullopt, std::nullopt, boost::json::serialize(details), ClientOf(req).ip,
                      ClientOf(req).user_agent}));
                 CLEANAI_RETURN_IF_ERROR(reports.PublishChange(c, "report.updated", id));
                 return true;
               });
               if (!done) return ProblemResponse(done.error(), req.request_id);
               return HttpResponse::Json(200, boost::json::object{{"reportId", id},
                                                                  {"wasteType", type},
                                                                  {"boxes", boxes_json}});
             });

  router.Add("GET", "/api/ai/stats", Access::Roles({"admin"}), [&ai, &db](HttpRequest& req) {
    auto count = db.Execute("SELECT COUNT(*) AS n FROM ai_results", {});
    auto lat = db.Execute("SELECT latency_ms FROM ai_results ORDER BY created_at DESC LIMIT 1000", {});
    auto jobs = db.Execute("SELECT status, COUNT(*) AS n FROM ai_jobs GROUP BY status", {});
    auto citizens = db.Execute(
        "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN detected_type = citizen_type THEN 1 ELSE 0 "
        "END), 0) AS agree FROM ai_results WHERE photo = 'report' AND detected_type IS NOT NULL",
        {});
    auto confusion = db.Execute(
        "SELECT waste_type, ai_type, COUNT(*) AS n FROM ai_labels GROUP BY waste_type, ai_type "
        "ORDER BY waste_type, ai_type",
        {});
    if (!count || !lat || !jobs || !citizens || !confusion) {
      return ProblemResponse(Status::Internal("cannot read the AI figures"), req.request_id);
    }
    std::vector<double> ms;
    for (const auto& row : lat->rows) ms.push_back(row.Double("latency_ms"));
    std::sort(ms.begin(), ms.end());
    boost::json::object job_counts{{"queued", 0}, {"running", 0}, {"done", 0}, {"failed", 0}};
    for (const auto& row : jobs->rows) job_counts[row.Text("status")] = row.Int("n");
    int64_t labeled = 0, admin_agree = 0;
    boost::json::array matrix;
    for (const auto& row : confusion->rows) {
      const int64_t n = row.Int("n");
      auto ai_type = row.OptText("ai_type");
      if (ai_type) {
        labeled += n;
        if (*ai_type == row.Text("waste_type")) admin_agree += n;
      }
      matrix.push_back(boost::json::object{{"adminType", row.Text("waste_type")},
                                           {"aiType", OptJson(ai_type)},
                                           {"count", n}});
    }
    const int64_t compared = citizens->rows[0].Int("n");
    auto share = [](int64_t part, int64_t whole) {
      return whole ? boost::json::value(std::round(1000.0 * part / whole) / 1000) : boost::json::value(nullptr);
    };
    boost::json::object o{
        {"enabled", ai.enabled()},
        {"photosAnalysed", count->rows[0].Int("n")},
        {"latencyMs", boost::json::object{{"p50", Quantile(ms, 0.5)},
                                          {"p95", Quantile(ms, 0.95)},
                                          {"samples", static_cast<int64_t>(ms.size())}}},
        {"queueLength", job_counts["queued"].as_int64() + job_counts["running"].as_int64()},
        {"jobs", job_counts},
        {"agreementWithCitizens",
         boost::json::object{{"compared", compared}, {"share", share(citizens->rows[0].Int("agree"), compared)}}},
        {"agreementWithAdmins",
         boost::json::object{{"compared", labeled}, {"share", share(admin_agree, labeled)}}},
        {"confusion", matrix}};
    o["model"] = ai.enabled() ? boost::json::value(ai.model_name()) : boost::json::value(nullptr);
    o["reason"] = ai.enabled() ? boost::json::value(nullptr) : boost::json::value(ai.disabled_reason());
    return HttpResponse::Json(200, o);
  });

  // The confirmed photos and labels as a YOLO data set (a tar), a page at a time: photos
  // are the stored copies (metadata stripped when they were filed), nothing names the
  // reporter. Boxes: the admin's, else the AI's boxes of that photo under the admin's type.
  router.Add("GET", "/api/ai/dataset", Access::Roles({"admin"}), [&db, &media](HttpRequest& req) {
    // The archive is built in memory: a page of 100 stored photos is about 40 MB.
    int limit = 100;
    std::vector<FieldError> errors;
    if (auto l = req.QueryParam("limit"); l && !ParseBoundedInt(*l, 1, 200, &limit)) {
      errors.push_back({"limit", "must be an integer from 1 to 200"});
    }
    std::string after = "00000000-0000-0000-0000-000000000000";
    if (auto a = req.QueryParam("after")) {
      if (!IsUuid(*a)) errors.push_back({"after", "is not a cursor from this endpoint"});
      after = *a;
    }
    if (!errors.empty()) {
      return ProblemResponse(Status::InvalidArgument("invalid query parameters", errors), req.request_id);
    }
    auto rows = db.Execute(
        "SELECT l.report_id, l.waste_type, l.boxes, r.image_key, a.detections FROM ai_labels l "
        "JOIN reports r ON r.id = l.report_id LEFT JOIN ai_results a ON a.report_id = l.report_id "
        "AND a.photo = 'report' WHERE l.report_id > $1 ORDER BY l.report_id LIMIT $2",
        {after, int64_t{limit}});
    if (!rows) return ProblemResponse(rows.error(), req.request_id);
    const std::vector<std::string> classes = WasteTypeCodes();
    TarWriter tar;
    const int64_t mtime = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count();
    tar.Add("data.yaml", DataYaml(classes), mtime);
    int64_t images = 0;
    for (const auto& row : rows->rows) {
      const std::string id = row.Text("report_id");
      const int cls = static_cast<int>(
          std::find(classes.begin(), classes.end(), row.Text("waste_type")) - classes.begin());
      std::vector<LabelBox> boxes;
      auto read_boxes = [&](const std::string& text) {
        boost::system::error_code ec;
        auto v = boost::json::parse(text, ec);
        if (ec || !v.is_array()) return;
        for (const auto& b : v.as_array()) {
          boxes.push_back({b.at("x").to_number<double>(), b.at("y").to_number<double>(),
                           b.at("w").to_number<double>(), b.at("h").to_number<double>()});
        }
      };
      read_boxes(row.Text("boxes"));
      if (boxes.empty() && !row.IsNull("detections")) read_boxes(row.Text("detections"));
      if (boxes.empty()) continue;  // a photo without boxes would teach "nothing here"
      auto jpeg = media.Read(row.Text("image_key"));
      if (!jpeg) continue;  // the file is gone: nothing to learn from
      tar.Add("images/" + id + ".jpg", *jpeg, mtime);
      tar.Add("labels/" + id + ".txt", YoloLabels(cls, boxes), mtime);
      ++images;
    }
    HttpResponse r = HttpResponse::Text(200, "application/x-tar", tar.Finish());
    r.SetHeader("Content-Disposition", "attachment; filename=\"cleanai-dataset.tar\"");
    r.SetHeader("X-Images", std::to_string(images));
    if (static_cast<int>(rows->rows.size()) == limit) {
      r.SetHeader("X-Next-Cursor", rows->rows.back().Text("report_id"));
    }
    return r;
  });
}

}  // namespace cleanai
