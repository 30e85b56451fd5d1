// SPDX-License-Identifier: AGPL-3.0-or-later
// The model registry's endpoints (admins only): list the versions with their model cards
// and shadow figures, register a trained model, promote one (or roll back to an earlier).
#include <boost/json.hpp>

#include "ai/routes.h"
#include "http/json_input.h"
#include "http/multipart.h"
#include "http/problem.h"
#include "reports/reports.h"

namespace cleanai {
namespace {

// A model file (.onnx) may be far larger than a photo: YOLOv8s is about 45 MB.
constexpr int64_t kMaxModelUpload = 200LL * 1024 * 1024;

boost::json::value Ratio(int64_t part, int64_t whole) {
  return whole ? boost::json::value(std::round(1e4 * static_cast<double>(part) / whole) / 1e4)
               : boost::json::value(nullptr);
}

boost::json::object ModelJson(const ModelRecord& m, const ShadowFigures* shadow) {
  boost::system::error_code ec;
  boost::json::value card = boost::json::parse(m.card, ec);
  boost::json::object o{{"version", m.version},
                        {"name", m.name},
                        {"status", m.status},
                        {"sha256", m.sha256},
                        {"inputSize", m.input_size},
                        {"createdAt", m.created_at},
                        {"card", ec ? boost::json::value(nullptr) : card}};
  o["promotedAt"] =
      m.promoted_at ? boost::json::value(*m.promoted_at) : boost::json::value(nullptr);
  if (shadow) {
    o["shadow"] =
        boost::json::object{{"photos", shadow->photos},
                            {"labelled", shadow->labelled},
                            {"agreement", Ratio(shadow->agree, shadow->labelled)},
                            {"liveAgreement", Ratio(shadow->live_agree, shadow->labelled)}};
  } else {
    o["shadow"] = nullptr;
  }
  return o;
}

}  // namespace

void RegisterModelRoutes(Router& router, AiService& ai, ModelRegistry& models) {
  const Access admins = Access::Roles({Role::kAdmin});

  router.Add("GET", "/api/ai/models", admins, [&ai, &models](HttpRequest& req) {
    auto list = models.List();
    if (!list) return ProblemResponse(list.error(), req.request_id);
    auto shadows = models.Shadows();
    if (!shadows) return ProblemResponse(shadows.error(), req.request_id);
    boost::json::array items;
    for (const auto& m : *list) {
      auto s = shadows->find(m.id);
      items.push_back(ModelJson(m, s == shadows->end() ? nullptr : &s->second));
    }
    // What this instance runs now (every instance follows the registry within seconds).
    auto running = ai.Live();
    boost::json::object o{{"models", std::move(items)}};
    o["running"] =
        running ? boost::json::value(boost::json::object{
                      {"name", running->name},
                      {"version", running->record ? boost::json::value(running->record->version)
                                                  : boost::json::value(nullptr)}})
                : boost::json::value(nullptr);
    return HttpResponse::Json(200, o);
  });

  router.AddUpload(
      "POST", "/api/ai/models", admins,
      [&ai, &models](HttpRequest& req) {
        if (req.body_file.empty()) {
          return ProblemResponse(
              Status::InvalidArgument("send the model as multipart/form-data",
                                      {{"Content-Type", "must be multipart/form-data"}}),
              req.request_id);
        }
        auto form =
            MultipartForm::ParseFile(req.body_file, req.Header("content-type").value_or(""));
        if (!form) return ProblemResponse(form.error(), req.request_id);
        std::vector<FieldError> errors;
        for (const auto& p : form->parts()) {
          if (p.name != "model" && p.name != "names" && p.name != "mapping" && p.name != "card")
            errors.push_back({p.name, "is not a known field"});
        }
        if (!errors.empty()) {
          return ProblemResponse(Status::InvalidArgument("invalid upload", errors), req.request_id);
        }
        // Each text part may come as a file (model.names) or a plain field.
        auto text = [&form](const char* name) {
          if (const MultipartPart* f = form->File(name)) return std::string(f->data);
          return form->Field(name).value_or("");
        };
        const MultipartPart* onnx = form->File("model");
        ModelUpload upload{onnx ? onnx->data : std::string_view(), text("names"), text("mapping"),
                           text("card")};
        auto m = models.Register(*req.principal, upload, WasteTypeCodes(), ClientOf(req).ip);
        if (!m) return ProblemResponse(m.error(), req.request_id);
        // The candidate runs in shadow on this instance from the next photo on (a photo sent
        // right after the 201 would otherwise wait for the feeder's refresh); others follow
        // within seconds.
        ai.Refresh();
        return HttpResponse::Json(201, ModelJson(*m, nullptr));
      },
      kMaxModelUpload);

  router.Add("POST", "/api/ai/models/:version/promote", admins, [&ai, &models](HttpRequest& req) {
    int version = 0;
    if (!ParseBoundedInt(req.path_params["version"], 1, 1'000'000'000, &version)) {
      return ProblemResponse(Status::NotFound("no such model version"), req.request_id);
    }
    auto m = models.Promote(*req.principal, version, ClientOf(req).ip);
    if (!m) return ProblemResponse(m.error(), req.request_id);
    ai.Refresh();  // this instance at once; the others within seconds
    return HttpResponse::Json(200, ModelJson(*m, nullptr));
  });
}

}  // namespace cleanai
