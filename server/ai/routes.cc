// SPDX-License-Identifier: AGPL-3.0-or-later
// The AI endpoints: status, analyze (an upload, now), a report's analysis, verify, admin
// labels (the learning loop), stats and the YOLO data set export.
#include "ai/routes.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "ai/records.h"
#include "core/crypto.h"
#include "http/json_input.h"
#include "http/multipart.h"
#include "http/problem.h"
#include "http/rate_limiter.h"

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

// Reads {"wasteType": code, "boxes": [{x, y, w, h}] (optional, ≤ 100, normalised)}.
Status ReadLabel(const std::string& body, std::string* type,
                 std::optional<std::vector<LabelBox>>* boxes) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return Status::InvalidArgument("the body is not a JSON object");
  std::vector<FieldError> errors;
  const auto& o = v.as_object();
  for (const auto& [k, _] : o) {
    if (k != "wasteType" && k != "boxes")
      errors.push_back({std::string(k), "is not a known field"});
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
            !num("h", &lb.h) || lb.w <= 0 || lb.h <= 0 || lb.x + lb.w > 1.0001 ||
            lb.y + lb.h > 1.0001) {
          errors.push_back(
              {"boxes", "each box is {x, y, w, h}, fractions of the photo, inside it"});
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

void RegisterAiRoutes(Router& router, AiService& ai, AiRecords& records, ReportService& reports,
                      const Config& config) {
  router.Add("GET", "/api/ai/status", Access::AnyUser(), [&ai](HttpRequest&) {
    boost::json::object o{{"enabled", ai.enabled()}};
    o["reason"] =
        ai.enabled() ? boost::json::value(nullptr) : boost::json::value(ai.disabled_reason());
    o["model"] = ai.enabled() ? boost::json::value(ai.model_name()) : boost::json::value(nullptr);
    if (auto live = ai.Live()) {
      const ModelFiles* f = &live->files();
      o["version"] =
          live->record ? boost::json::value(live->record->version) : boost::json::value(nullptr);
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
      return ProblemResponse(
          Status::InvalidArgument("send the photo as multipart/form-data",
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
  router.Add("GET", "/api/ai/reports/:id", Access::AnyUser(),
             [&ai, &records, &reports](HttpRequest& req) {
               const std::string id = req.path_params["id"];
               auto report = reports.Get(*req.principal, id);
               if (!report) return ProblemResponse(report.error(), req.request_id);
               auto analyses = records.Analyses(id);
               if (!analyses) return ProblemResponse(analyses.error(), req.request_id);
               boost::json::array photos;
               for (const auto& a : analyses->photos) {
                 boost::json::object p{{"photo", a.photo},
                                       {"detections", a.detections},
                                       {"detectedType", OptJson(a.detected_type)},
                                       {"coverage", a.coverage},
                                       {"latencyMs", a.latency_ms},
                                       {"model", a.model},
                                       {"analyzedAt", a.analyzed_at}};
                 p["confidence"] =
                     a.confidence ? boost::json::value(*a.confidence) : boost::json::value(nullptr);
                 photos.push_back(std::move(p));
               }
               boost::json::object o{{"reportId", id},
                                     {"enabled", ai.enabled()},
                                     {"citizenType", report->waste_type},
                                     {"photos", std::move(photos)}};
               o["job"] = OptJson(analyses->job_status);
               if (analyses->label && req.principal->role == Role::kAdmin) {
                 o["label"] = boost::json::object{{"wasteType", analyses->label->waste_type},
                                                  {"boxes", analyses->label->boxes},
                                                  {"labeledAt", analyses->label->labeled_at}};
               } else {
                 o["label"] = nullptr;
               }
               return HttpResponse::Json(200, o);
             });

  // Does the AI agree with the citizen's waste type, and how sure is it?
  router.Add("POST", "/api/ai/verify", Access::AnyUser(),
             [&ai, &records, &reports](HttpRequest& req) {
               JsonInput in(req);
               auto id = in.String("reportId", {.required = true, .min = 1, .max = 64});
               if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
               auto report = reports.Get(*req.principal, *id);
               if (!report) return ProblemResponse(report.error(), req.request_id);
               auto v = records.Verdict(*id);
               if (!v) return ProblemResponse(v.error(), req.request_id);
               boost::json::object o{{"reportId", *id}, {"citizenType", report->waste_type}};
               if (!v->analysed) {
                 o["status"] = ai.enabled() ? "pending" : "unavailable";
                 o["aiType"] = nullptr;
                 o["confidence"] = nullptr;
                 o["agrees"] = nullptr;
                 if (!ai.enabled()) o["reason"] = ai.disabled_reason();
                 return HttpResponse::Json(200, o);
               }
               o["citizenType"] = v->citizen_type;
               o["status"] = "done";
               o["aiType"] = OptJson(v->ai_type);
               o["confidence"] =
                   v->ai_type ? boost::json::value(v->confidence) : boost::json::value(nullptr);
               o["agrees"] = v->ai_type ? boost::json::value(*v->ai_type == v->citizen_type)
                                        : boost::json::value(nullptr);
               return HttpResponse::Json(200, o);
             });

  // An admin confirms or corrects the waste type (and may give the boxes): the report's
  // type changes when corrected (audited), and the label joins the training data.
  router.Add("PUT", "/api/ai/reports/:id/label", Access::Roles({Role::kAdmin}),
             [&records, &reports](HttpRequest& req) {
               const std::string id = req.path_params["id"];
               std::string type;
               std::optional<std::vector<LabelBox>> boxes;
               if (auto report = reports.Get(*req.principal, id); !report) {
                 return ProblemResponse(report.error(), req.request_id);
               }
               if (Status st = ReadLabel(req.body, &type, &boxes); !st.ok())
                 return ProblemResponse(st, req.request_id);
               const std::vector<LabelBox> given = boxes.value_or(std::vector<LabelBox>{});
               auto done = reports.ReviewType(
                   *req.principal, id, type, static_cast<int64_t>(given.size()), ClientOf(req),
                   [&](Connection& c) {
                     return records.SaveLabel(c, id, type, given, req.principal->user_id);
                   });
               if (!done) return ProblemResponse(done.error(), req.request_id);
               return HttpResponse::Json(
                   200,
                   boost::json::object{
                       {"reportId", id}, {"wasteType", type}, {"boxes", LabelBoxesJson(given)}});
             });

  router.Add(
      "GET", "/api/ai/stats", Access::Roles({Role::kAdmin}), [&ai, &records](HttpRequest& req) {
        auto f = records.Figures();
        if (!f) return ProblemResponse(f.error(), req.request_id);
        boost::json::array matrix;
        for (const auto& cell : f->confusion) {
          matrix.push_back(boost::json::object{{"adminType", cell.admin_type},
                                               {"aiType", OptJson(cell.ai_type)},
                                               {"count", cell.count}});
        }
        auto share = [](int64_t part, int64_t whole) {
          return whole ? boost::json::value(std::round(1000.0 * part / whole) / 1000)
                       : boost::json::value(nullptr);
        };
        const auto& ms = f->recent_latencies_ms;
        boost::json::object o{
            {"enabled", ai.enabled()},
            {"photosAnalysed", f->photos_analysed},
            {"latencyMs", boost::json::object{{"p50", Quantile(ms, 0.5)},
                                              {"p95", Quantile(ms, 0.95)},
                                              {"samples", static_cast<int64_t>(ms.size())}}},
            {"queueLength", f->queued + f->running},
            {"jobs", boost::json::object{{"queued", f->queued},
                                         {"running", f->running},
                                         {"done", f->done},
                                         {"failed", f->failed}}},
            {"agreementWithCitizens",
             boost::json::object{{"compared", f->citizen_compared},
                                 {"share", share(f->citizen_agree, f->citizen_compared)}}},
            {"agreementWithAdmins",
             boost::json::object{{"compared", f->admin_compared},
                                 {"share", share(f->admin_agree, f->admin_compared)}}},
            {"confusion", matrix}};
        o["model"] =
            ai.enabled() ? boost::json::value(ai.model_name()) : boost::json::value(nullptr);
        o["reason"] =
            ai.enabled() ? boost::json::value(nullptr) : boost::json::value(ai.disabled_reason());
        return HttpResponse::Json(200, o);
      });

  // The confirmed photos and labels as a YOLO data set (a tar), a page at a time: photos
  // are the stored copies (metadata stripped when they were filed), nothing names the
  // reporter. The archive is built in memory: a page of 100 stored photos is about 40 MB.
  router.Add("GET", "/api/ai/dataset", Access::Roles({Role::kAdmin}), [&records](HttpRequest& req) {
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
      return ProblemResponse(Status::InvalidArgument("invalid query parameters", errors),
                             req.request_id);
    }
    auto page = records.Dataset(after, limit, WasteTypeCodes());
    if (!page) return ProblemResponse(page.error(), req.request_id);
    HttpResponse r = HttpResponse::Text(200, "application/x-tar", std::move(page->tar));
    r.SetHeader("Content-Disposition", "attachment; filename=\"cleanai-dataset.tar\"");
    r.SetHeader("X-Images", std::to_string(page->images));
    if (page->next_cursor) r.SetHeader("X-Next-Cursor", *page->next_cursor);
    return r;
  });
}

}  // namespace cleanai
