// SPDX-License-Identifier: AGPL-3.0-or-later
// GeoReport v2 read endpoints. Formats by extension; errors as the spec's list of
// {code, description}.
#include <boost/json.hpp>

#include "core/crypto.h"
#include "http/json_input.h"
#include "http/multipart.h"
#include "open311/open311.h"

namespace cleanai {
namespace {

struct Target {
  std::string name;    // "services", "discovery", a service code or request id
  std::string format;  // json | xml
};

bool SplitFormat(const std::string& file, Target* out) {
  size_t dot = file.rfind('.');
  if (dot == std::string::npos || dot == 0) return false;
  out->name = file.substr(0, dot);
  out->format = file.substr(dot + 1);
  return out->format == "json" || out->format == "xml";
}

HttpResponse Respond(int status, const std::string& format, const std::string& root,
                     const boost::json::value& body) {
  if (format == "xml") {
    return HttpResponse::Text(status, "text/xml; charset=utf-8", Open311Xml(root, body));
  }
  return HttpResponse::Json(status, body);
}

HttpResponse Error(int status, const std::string& format, const std::string& description) {
  boost::json::array errors{boost::json::object{{"code", status}, {"description", description}}};
  return Respond(status, format.empty() ? "json" : format, "errors", errors);
}

// A domain failure as the spec's error list: it assigns 400, 403 and 404 only, so
// conflicts (a refused transition, a reused Idempotency-Key) are 400s too.
HttpResponse StatusError(const Status& st, const std::string& format) {
  int status = st.code() == StatusCode::kPermissionDenied ? 403
               : st.code() == StatusCode::kNotFound       ? 404
               : st.code() == StatusCode::kInternal       ? 500
               : st.code() == StatusCode::kUnavailable    ? 503
                                                          : 400;
  std::string detail = st.message();
  for (const auto& f : st.field_errors()) detail += "; " + f.field + ": " + f.message;
  return Error(status, format, detail);
}

boost::json::object ServiceJson(const WasteType& t) {
  return {
      {"service_code", t.code}, {"service_name", t.label}, {"description", t.description},
      {"metadata", true},       {"type", "realtime"},      {"keywords", "waste, litter, " + t.code},
      {"group", "Waste"}};
}

boost::json::object RequestJson(const Report& r, const Config& cfg) {
  const WasteType* t = FindWasteType(r.waste_type);
  std::string notes;
  if (r.status == ReportStatus::kRejected && r.rejection_reason) notes = *r.rejection_reason;
  if (r.status == ReportStatus::kDuplicate && r.duplicate_of)
    notes = "Duplicate of " + *r.duplicate_of;
  if (notes.empty())
    notes = StatusName(r.status);  // CleanAI's finer status, for clients that show it
  boost::json::object o{{"service_request_id", r.id},
                        {"status", IsOpen(r.status) ? "open" : "closed"},
                        {"status_notes", notes},
                        {"service_name", t ? t->label : r.waste_type},
                        {"service_code", r.waste_type},
                        {"agency_responsible", "City waste management"},
                        {"requested_datetime", r.created_at},
                        {"updated_datetime", r.updated_at},
                        {"address", r.address},
                        {"lat", r.lat},
                        {"long", r.lng}};
  // The same rule as the public map: the photo and the citizen's words once the city has
  // seen the report, and never a photo an admin hid.
  o["media_url"] =
      PhotoIsPublic(r) ? boost::json::value(cfg.public_url + MediaUrl(r.image_key)) : nullptr;
  o["description"] = r.description && r.status != ReportStatus::kSubmitted
                         ? boost::json::value(*r.description)
                         : nullptr;
  o["service_notice"] = nullptr;
  o["expected_datetime"] = nullptr;
  o["address_id"] = nullptr;
  o["zipcode"] = nullptr;
  return o;
}

// Reads a field of the POST body: form-encoded or multipart.
class FormFields {
 public:
  explicit FormFields(const HttpRequest& req) {
    if (!req.body_file.empty()) {
      auto form = MultipartForm::ParseFile(req.body_file, req.Header("content-type").value_or(""));
      if (form)
        multipart_.emplace(std::move(*form));
      else
        error_ = form.error().message();
    } else {
      urlencoded_.query = req.body;
    }
  }
  std::optional<std::string> Get(const std::string& name) const {
    return multipart_ ? multipart_->Field(name) : urlencoded_.QueryParam(name);
  }
  const MultipartPart* Media() const { return multipart_ ? multipart_->File("media") : nullptr; }
  const std::string& error() const { return error_; }

 private:
  HttpRequest urlencoded_;
  std::optional<MultipartForm> multipart_;
  std::string error_;
};

HttpResponse FileRequest(ReportService& reports, Open311Keys& keys, HttpRequest& req,
                         const std::string& format) {
  FormFields form(req);
  if (!form.error().empty()) return Error(400, format, form.error());
  auto who = keys.Owner(form.Get("api_key").value_or(""));
  if (!who) return Error(403, format, who.error().message());
  auto code = form.Get("service_code");
  if (!code || code->empty()) return Error(400, format, "service_code is required");
  if (!FindWasteType(*code)) return Error(404, format, "service_code: unknown: " + *code);
  NewReport in;
  in.waste_type = *code;
  auto lat = form.Get("lat"), lng = form.Get("long");
  if (lat && lng) {
    char *e1 = nullptr, *e2 = nullptr;
    double la = std::strtod(lat->c_str(), &e1), lo = std::strtod(lng->c_str(), &e2);
    if (lat->empty() || lng->empty() || *e1 || *e2)
      return Error(400, format, "lat/long: must be numbers");
    in.lat = la;
    in.lng = lo;
  } else if (!form.Get("address_string")) {
    return Error(400, format, "a location is required: lat and long, or address_string");
  }
  in.address = form.Get("address_string");
  in.description = form.Get("description");
  if (in.description && Utf8Length(*in.description) > 4000) {
    return Error(400, format, "description: at most 4000 characters");
  }
  if (auto size = form.Get("attribute[size]")) {
    if (*size != "bag" && *size != "wheelbarrow" && *size != "truck") {
      return Error(400, format, "attribute[size]: not one of the listed values");
    }
    in.size = *size;
  }
  if (auto drain = form.Get("attribute[blocks_drain]")) {
    if (*drain != "true" && *drain != "false") {
      return Error(400, format, "attribute[blocks_drain]: not one of the listed values");
    }
    in.blocks_drain = *drain == "true";
  }
  if (auto key = req.Header("idempotency-key")) in.idempotency_key = *key;
  const MultipartPart* media = form.Media();
  if (!media || media->data.empty()) {
    // Fetching media_url from elsewhere is not done (no outbound requests on behalf of
    // clients): the photo comes as a multipart "media" part.
    return Error(400, format, "media: upload the photo as a multipart part named media");
  }
  if (!in.lat) {
    return Error(400, format, "lat/long are required: addresses cannot be placed on the map yet");
  }
  auto r = reports.Submit(*who, in, media->data, ClientOf(req));
  if (!r) {
    return StatusError(r.error(), format);
  }
  boost::json::array body{
      boost::json::object{{"service_request_id", r->report.id},
                          {"service_notice", "Thank you. The city will review it."},
                          {"account_id", nullptr}}};
  return Respond(201, format, "service_requests", body);
}

}  // namespace

void RegisterOpen311Routes(Router& router, ReportService& reports, Open311Keys& keys,
                           const Config& config) {
  const Config* cfg = &config;

  router.AddUpload("POST", "/open311/v2/:file", Access::Public(),
                   [&reports, &keys](HttpRequest& req) {
                     Target t;
                     if (!SplitFormat(req.path_params["file"], &t))
                       return Error(404, "json", "unknown resource");
                     if (t.name == "requests") return FileRequest(reports, keys, req, t.format);
                     if (t.name != "servicerequestupdates")
                       return Error(404, t.format, "unknown resource");
                     FormFields form(req);
                     if (!form.error().empty()) return Error(400, t.format, form.error());
                     const MultipartPart* media = form.Media();
                     auto id = Open311PostUpdate(
                         reports, keys, req, [&form](const std::string& k) { return form.Get(k); },
                         media ? media->data : std::string_view());
                     if (!id) {
                       return StatusError(id.error(), t.format);
                     }
                     return Respond(200, t.format, "service_request_updates",
                                    boost::json::array{boost::json::object{{"update_id", *id}}});
                   });

  router.Add("GET", "/open311/v2/tokens/:file", Access::Public(), [&reports](HttpRequest& req) {
    // Requests are created synchronously, so a token is the request id itself.
    Target t;
    if (!SplitFormat(req.path_params["file"], &t)) return Error(404, "json", "unknown token");
    ReportFilter f;
    if (!IsUuid(t.name)) return Error(404, t.format, "unknown token");
    f.ids = {t.name};
    f.limit = 1;
    auto items = reports.List(f);
    if (!items || items->empty()) return Error(404, t.format, "unknown token");
    return Respond(
        200, t.format, "service_requests",
        boost::json::array{boost::json::object{{"service_request_id", t.name}, {"token", t.name}}});
  });

  router.Add("GET", "/open311/v2/:file", Access::Public(), [&reports, cfg](HttpRequest& req) {
    Target t;
    if (!SplitFormat(req.path_params["file"], &t)) {
      return Error(404, "json", "unknown resource; use .json or .xml");
    }
    if (t.name == "discovery") {
      boost::json::object endpoint{{"specification", "http://wiki.open311.org/GeoReport_v2"},
                                   {"url", cfg->public_url + "/open311/v2"},
                                   {"changeset", "2026-11-24T00:00:00Z"},
                                   {"type", "production"},
                                   {"formats", boost::json::array{"text/xml", "application/json"}}};
      boost::json::object body{{"changeset", "2026-11-24T00:00:00Z"},
                               {"contact", "City waste management, via " + cfg->public_url},
                               {"key_service", cfg->public_url + "/dashboard"},
                               {"endpoints", boost::json::array{endpoint}}};
      return Respond(200, t.format, "discovery", body);
    }
    if (t.name == "services") {
      boost::json::array services;
      for (const auto& w : WasteTypes()) services.push_back(ServiceJson(w));
      return Respond(200, t.format, "services", services);
    }
    if (t.name == "servicerequestupdates") {
      SystemTime end = SystemClock().Now(), start;
      auto s_text = req.QueryParam("start_date");
      auto e_text = req.QueryParam("end_date");
      if (e_text && !ParseTime(*e_text, &end))
        return Error(400, t.format, "end_date: not a W3C date-time");
      if (s_text) {
        if (!ParseTime(*s_text, &start))
          return Error(400, t.format, "start_date: not a W3C date-time");
      } else {
        start = end - std::chrono::hours(24);
      }
      if (end < start || end - start > std::chrono::hours(24 * 90)) {
        return Error(400, t.format, "the date range must be forward and at most 90 days");
      }
      auto updates = Open311Updates(reports, *cfg, FormatTime(start),
                                    FormatTime(end + std::chrono::milliseconds(1)));
      if (!updates) return StatusError(updates.error(), t.format);
      return Respond(200, t.format, "service_request_updates", *updates);
    }
    if (t.name != "requests") return Error(404, t.format, "unknown resource");

    ReportFilter f;
    f.limit = 50;
    if (auto ids = req.QueryParam("service_request_id")) {
      size_t pos = 0;
      while (pos <= ids->size()) {
        size_t comma = ids->find(',', pos);
        if (comma == std::string::npos) comma = ids->size();
        std::string id = ids->substr(pos, comma - pos);
        if (!IsUuid(id)) return Error(400, t.format, "service_request_id: not a request id: " + id);
        f.ids.push_back(id);
        pos = comma + 1;
      }
    }
    if (auto code = req.QueryParam("service_code")) {
      if (!FindWasteType(*code)) return Error(404, t.format, "service_code: unknown: " + *code);
      f.types.push_back(*code);
    }
    if (auto status = req.QueryParam("status")) {
      if (*status == "open") {
        f.statuses = {"submitted", "acknowledged", "dispatched", "in_progress"};
      } else if (*status == "closed") {
        f.statuses = {"resolved", "rejected", "duplicate"};
      } else {
        return Error(400, t.format, "status: must be open or closed");
      }
    }
    SystemTime start, end = SystemClock().Now();
    auto start_text = req.QueryParam("start_date");
    auto end_text = req.QueryParam("end_date");
    if (end_text && !ParseTime(*end_text, &end)) {
      return Error(400, t.format, "end_date: must be a W3C date-time like 2026-11-24T00:00:00Z");
    }
    if (start_text) {
      if (!ParseTime(*start_text, &start)) {
        return Error(400, t.format,
                     "start_date: must be a W3C date-time like 2026-11-01T00:00:00Z");
      }
    } else {
      start = end - std::chrono::hours(24 * 90);  // the spec's default window
    }
    if (end < start) return Error(400, t.format, "end_date is before start_date");
    if (end - start > std::chrono::hours(24 * 90)) {
      return Error(400, t.format, "the date range may span at most 90 days");
    }
    if (f.ids.empty()) {
      f.from = FormatTime(start);
      f.to = FormatTime(end + std::chrono::milliseconds(1));
    }
    int page = 1;
    for (const char* key : {"page", "page_size"}) {
      if (auto v = req.QueryParam(key)) {
        bool size = std::string(key) == "page_size";
        if (!ParseBoundedInt(*v, 1, size ? 200 : 100000, size ? &f.limit : &page)) {
          return Error(400, t.format, std::string(key) + ": out of range");
        }
      }
    }
    f.offset = (page - 1) * f.limit;
    auto items = reports.List(f);
    if (!items) return Error(500, t.format, "the requests could not be read");
    boost::json::array out;
    for (const auto& r : *items) out.push_back(RequestJson(r, *cfg));
    return Respond(200, t.format, "service_requests", out);
  });

  router.Add("GET", "/open311/v2/services/:file", Access::Public(), [](HttpRequest& req) {
    Target t;
    if (!SplitFormat(req.path_params["file"], &t)) return Error(404, "json", "unknown service");
    const WasteType* w = FindWasteType(t.name);
    if (!w) return Error(404, t.format, "service_code: unknown: " + t.name);
    boost::json::array sizes;
    boost::json::object bag{{"key", "bag"}, {"name", "Fits in a bag"}};
    boost::json::object barrow{{"key", "wheelbarrow"}, {"name", "A wheelbarrow"}};
    boost::json::object truck{{"key", "truck"}, {"name", "Needs a truck"}};
    boost::json::array attributes{
        boost::json::object{{"variable", true},
                            {"code", "size"},
                            {"datatype", "singlevaluelist"},
                            {"required", false},
                            {"datatype_description", "How much waste is there?"},
                            {"order", 1},
                            {"description", "Size of the heap"},
                            {"values", boost::json::array{bag, barrow, truck}}},
        boost::json::object{
            {"variable", true},
            {"code", "blocks_drain"},
            {"datatype", "singlevaluelist"},
            {"required", false},
            {"datatype_description", "Does it block a drain or gutter?"},
            {"order", 2},
            {"description", "Blocks a drain"},
            {"values", boost::json::array{boost::json::object{{"key", "true"}, {"name", "Yes"}},
                                          boost::json::object{{"key", "false"}, {"name", "No"}}}}}};
    boost::json::object body{{"service_code", w->code}, {"attributes", attributes}};
    return Respond(200, t.format, "service_definition", body);
  });

  router.Add("GET", "/open311/v2/requests/:file", Access::Public(),
             [&reports, cfg](HttpRequest& req) {
               Target t;
               if (!SplitFormat(req.path_params["file"], &t))
                 return Error(404, "json", "unknown request");
               ReportFilter f;
               if (!IsUuid(t.name))
                 return Error(404, t.format, "service_request_id: unknown: " + t.name);
               f.ids = {t.name};
               f.limit = 1;
               auto items = reports.List(f);
               if (!items) return Error(500, t.format, "the request could not be read");
               if (items->empty())
                 return Error(404, t.format, "service_request_id: unknown: " + t.name);
               return Respond(200, t.format, "service_requests",
                              boost::json::array{RequestJson(items->front(), *cfg)});
             });
}

}  // namespace cleanai
