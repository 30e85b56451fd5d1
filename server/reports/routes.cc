// SPDX-License-Identifier: AGPL-3.0-or-later
// HTTP handlers for /api/reports and /api/waste-types.
#include <boost/json.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <cmath>
#include <cstdlib>

#include "core/crypto.h"
#include "core/text.h"
#include "http/json_input.h"
#include "http/multipart.h"
#include "http/problem.h"
#include "reports/reports.h"

namespace cleanai {
namespace {

bool IsPriority(const std::string& p) { return ParsePriority(p).has_value(); }

bool IsSize(const std::string& s) {
  for (const auto& z : ReportSizes()) {
    if (z == s) return true;
  }
  return false;
}

// Text field rules shared by the form and JSON inputs.
void CheckText(const std::optional<std::string>& v, const char* field, size_t max,
               std::vector<FieldError>* errors) {
  if (!v) return;
  if (Utf8Length(*v) > max || v->find('\0') != std::string::npos) {
    errors->push_back({field, "must be at most " + std::to_string(max) + " characters"});
  }
}

HttpResponse ReportResponse(int status, const Report& r, const Principal& who) {
  bool full = who.role == Role::kAdmin || (r.user_id && *r.user_id == who.user_id);
  return HttpResponse::Json(status, ReportJson(r, full));
}

// Reads the multipart body of an upload route, or explains what was wrong.
Result<MultipartForm> ReadForm(const HttpRequest& req) {
  std::string type = req.Header("content-type").value_or("");
  if (req.body_file.empty()) {
    return Err(Status::InvalidArgument("send the report as multipart/form-data with a photo",
                                       {{"Content-Type", "must be multipart/form-data"}}));
  }
  return MultipartForm::ParseFile(req.body_file, type);
}

// Rejects form fields the handler does not know.
void UnknownFields(const MultipartForm& form, std::initializer_list<const char*> known,
                   std::vector<FieldError>* errors) {
  for (const auto& p : form.parts()) {
    bool ok = false;
    for (const char* k : known) ok |= p.name == k;
    if (!ok) errors->push_back({p.name, "is not a known field"});
  }
}

HttpResponse Submit(ReportService& reports, HttpRequest& req) {
  auto form = ReadForm(req);
  if (!form) return ProblemResponse(form.error(), req.request_id);
  std::vector<FieldError> errors;
  UnknownFields(
      *form, {"wasteType", "lat", "lng", "address", "description", "size", "blocksDrain", "photo"},
      &errors);
  NewReport in;
  in.waste_type = form->Field("wasteType").value_or("");
  if (in.waste_type.empty()) errors.push_back({"wasteType", "is required"});
  for (const char* f : {"lat", "lng"}) {
    if (auto v = form->Field(f)) {
      double d;
      if (!ParseFiniteDouble(*v, &d)) {
        errors.push_back({f, "must be a number"});
      } else {
        (std::string(f) == "lat" ? in.lat : in.lng) = d;
      }
    }
  }
  in.address = form->Field("address");
  in.description = form->Field("description");
  CheckText(in.address, "address", 500, &errors);
  CheckText(in.description, "description", 2000, &errors);
  if (in.address && in.address->empty()) in.address.reset();
  if (in.description && in.description->empty()) in.description.reset();
  if (auto s = form->Field("size")) {
    if (!IsSize(*s)) errors.push_back({"size", "must be bag, wheelbarrow or truck"});
    in.size = *s;
  }
  if (auto b = form->Field("blocksDrain")) {
    if (*b != "true" && *b != "false") errors.push_back({"blocksDrain", "must be true or false"});
    in.blocks_drain = *b == "true";
  }
  const MultipartPart* photo = form->File("photo");
  if (!photo || photo->data.empty()) errors.push_back({"photo", "is required (a file part)"});
  if (auto key = req.Header("idempotency-key")) {
    bool ok = !key->empty() && key->size() <= 100;
    for (char c : *key) ok = ok && c > 0x20 && c < 0x7f;
    if (!ok) errors.push_back({"Idempotency-Key", "must be 1 to 100 visible ASCII characters"});
    in.idempotency_key = *key;
  }
  if (!errors.empty()) {
    return ProblemResponse(Status::InvalidArgument("the report is not valid", errors),
                           req.request_id);
  }
  auto r = reports.Submit(*req.principal, in, photo->data, ClientOf(req));
  if (!r) return ProblemResponse(r.error(), req.request_id);
  HttpResponse resp = ReportResponse(201, r->report, *req.principal);
  resp.SetHeader("Location", "/api/reports/" + r->report.id);
  if (r->replayed) resp.SetHeader("Idempotent-Replayed", "true");
  return resp;
}

HttpResponse List(ReportService& reports, HttpRequest& req) {
  ReportFilter f;
  std::vector<FieldError> errors;
  ParseReportFilter(req, &f, &errors);
  if (auto v = req.QueryParam("sort")) {
    if (*v != "newest" && *v != "oldest" && *v != "priority") {
      errors.push_back({"sort", "must be newest, oldest or priority"});
    }
    f.newest_first = *v != "oldest";
    f.by_priority = *v == "priority";
  }
  if (auto v = req.QueryParam("cursor")) {
    // By priority the cursor is "<rank 0-3>.<id>"; otherwise an id.
    const bool ok = f.by_priority ? v->size() > 2 && (*v)[0] >= '0' && (*v)[0] <= '3' &&
                                        (*v)[1] == '.' && IsUuid(v->substr(2))
                                  : IsUuid(*v);
    if (!ok) errors.push_back({"cursor", "is not a cursor from this endpoint"});
    f.cursor = *v;
  }
  if (auto v = req.QueryParam("q")) {
    if (v->empty() || Utf8Length(*v) > 100) errors.push_back({"q", "must be 1 to 100 characters"});
    f.search = *v;
  }
  if (auto v = req.QueryParam("vehicle")) {
    if (!IsUuid(*v)) errors.push_back({"vehicle", "is not a vehicle id"});
    f.vehicle_id = *v;
  }
  if (auto v = req.QueryParam("limit")) {
    if (!ParseBoundedInt(*v, 1, 200, &f.limit)) errors.push_back({"limit", "must be 1 to 200"});
  }
  if (auto v = req.QueryParam("includeDeleted")) f.include_deleted = *v == "true";
  if (!errors.empty()) {
    return ProblemResponse(Status::InvalidArgument("invalid query parameters", errors),
                           req.request_id);
  }
  auto items = reports.List(f);
  if (!items) return ProblemResponse(items.error(), req.request_id);
  boost::json::monotonic_resource buffer;  // one arena for the whole page
  boost::json::storage_ptr sp(&buffer);
  boost::json::array arr(sp);
  arr.reserve(items->size());
  for (const auto& r : *items) arr.push_back(ReportJson(r, true, sp));
  boost::json::object body(sp);
  body.emplace("items", std::move(arr));
  if (static_cast<int>(items->size()) < f.limit) {
    body["nextCursor"] = nullptr;
  } else if (f.by_priority) {
    const Report& last = items->back();
    body["nextCursor"] = std::to_string(3 - static_cast<int>(last.priority)) + "." + last.id;
  } else {
    body["nextCursor"] = items->back().id;
  }
  return HttpResponse::Json(200, body);
}

HttpResponse Nearby(ReportService& reports, HttpRequest& req) {
  std::vector<FieldError> errors;
  double lat = 0, lng = 0, radius = 250;
  auto la = req.QueryParam("lat"), ln = req.QueryParam("lng");
  if (!la || !ParseFiniteDouble(*la, &lat) || lat < -90 || lat > 90) {
    errors.push_back({"lat", "is required, -90 to 90"});
  }
  if (!ln || !ParseFiniteDouble(*ln, &lng) || lng < -180 || lng > 180) {
    errors.push_back({"lng", "is required, -180 to 180"});
  }
  if (auto r = req.QueryParam("radius")) {
    if (!ParseFiniteDouble(*r, &radius) || radius < 1 || radius > 5000) {
      errors.push_back({"radius", "must be 1 to 5000 metres"});
    }
  }
  std::optional<std::string> type;
  if (auto t = req.QueryParam("type")) {
    if (!FindWasteType(*t)) errors.push_back({"type", "unknown waste type"});
    type = *t;
  }
  int limit = 20;
  if (auto l = req.QueryParam("limit")) {
    if (!ParseBoundedInt(*l, 1, 100, &limit)) errors.push_back({"limit", "must be 1 to 100"});
  }
  if (!errors.empty()) {
    return ProblemResponse(Status::InvalidArgument("invalid query parameters", errors),
                           req.request_id);
  }
  auto items = reports.Nearby(lat, lng, radius, type, limit);
  if (!items) return ProblemResponse(items.error(), req.request_id);
  boost::json::monotonic_resource buffer;
  boost::json::storage_ptr sp(&buffer);
  boost::json::array arr(sp);
  for (const auto& n : *items) {
    // Public view: never who filed it.
    boost::json::object o = ReportJson(n.report, false, sp);
    o["distanceM"] = std::round(n.distance_m * 10) / 10;
    arr.push_back(std::move(o));
  }
  boost::json::object body(sp);
  body.emplace("items", std::move(arr));
  body.emplace("radiusM", radius);
  return HttpResponse::Json(200, body);
}

HttpResponse Edit(ReportService& reports, HttpRequest& req) {
  JsonInput in(req);
  ReportEdit e;
  e.waste_type = in.String("wasteType", {.max = 50});
  e.description = in.String("description", {.max = 2000});
  auto priority = in.String("priority", {.max = 10});
  e.size = in.String("size", {.max = 20});
  e.address = in.String("address", {.min = 1, .max = 500});
  e.blocks_drain = in.Bool("blocksDrain");
  Status st = in.Finish();
  if (!st.ok() && st.field_errors().empty()) return ProblemResponse(st, req.request_id);
  std::vector<FieldError> errors = st.field_errors();
  if (e.waste_type && !FindWasteType(*e.waste_type)) {
    errors.push_back({"wasteType", "unknown waste type"});
  }
  if (priority) {
    e.priority = ParsePriority(*priority);
    if (!e.priority) errors.push_back({"priority", "must be low, medium, high or urgent"});
  }
  if (e.size && !IsSize(*e.size)) errors.push_back({"size", "must be bag, wheelbarrow or truck"});
  if (!errors.empty()) {
    return ProblemResponse(Status::InvalidArgument("the change is not valid", errors),
                           req.request_id);
  }
  auto r = reports.Edit(*req.principal, req.path_params["id"], e, ClientOf(req));
  if (!r) return ProblemResponse(r.error(), req.request_id);
  return ReportResponse(200, *r, *req.principal);
}

HttpResponse ChangeStatus(ReportService& reports, HttpRequest& req) {
  StatusChange ch;
  std::string status;
  std::string_view photo;
  std::optional<MultipartForm> form;
  std::vector<FieldError> errors;
  if (!req.body_file.empty()) {
    auto f = ReadForm(req);
    if (!f) return ProblemResponse(f.error(), req.request_id);
    form.emplace(std::move(*f));
    UnknownFields(*form, {"status", "reason", "duplicateOf", "note", "photo"}, &errors);
    status = form->Field("status").value_or("");
    ch.reason = form->Field("reason");
    ch.duplicate_of = form->Field("duplicateOf");
    ch.note = form->Field("note");
    if (const MultipartPart* p = form->File("photo")) photo = p->data;
  } else {
    JsonInput in(req);
    status = in.String("status", {.required = true, .max = 20}).value_or("");
    ch.reason = in.String("reason", {.max = 500});
    ch.duplicate_of = in.String("duplicateOf", {.max = 36});
    ch.note = in.String("note", {.max = 1000});
    if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
  }
  if (status.empty()) {
    errors.push_back({"status", "is required"});
  } else if (auto parsed = ParseStatus(status)) {
    ch.status = *parsed;
  } else {
    errors.push_back({"status",
                      "must be one of submitted, acknowledged, dispatched, in_progress, "
                      "resolved, rejected, duplicate"});
  }
  CheckText(ch.reason, "reason", 500, &errors);
  CheckText(ch.note, "note", 1000, &errors);
  if (!errors.empty()) {
    return ProblemResponse(Status::InvalidArgument("the change is not valid", errors),
                           req.request_id);
  }
  auto r = reports.ChangeStatus(*req.principal, req.path_params["id"], ch, photo, ClientOf(req));
  if (!r) return ProblemResponse(r.error(), req.request_id);
  return ReportResponse(200, *r, *req.principal);
}

boost::json::object EventJson(const ReportEvent& e, bool admin) {
  boost::json::object o{{"id", e.id}, {"type", e.event_type}, {"createdAt", e.created_at}};
  o["oldStatus"] = e.old_status ? boost::json::value(*e.old_status) : nullptr;
  o["newStatus"] = e.new_status ? boost::json::value(*e.new_status) : nullptr;
  boost::system::error_code ec;
  auto details = e.details ? boost::json::parse(*e.details, ec) : boost::json::value(nullptr);
  o["details"] = ec ? boost::json::value(nullptr) : details;
  if (admin) {
    o["actor"] = e.user_id ? boost::json::value(boost::json::object{
                                 {"id", *e.user_id}, {"username", e.username.value_or("")}})
                           : boost::json::value(nullptr);
  }
  return o;
}

// `build`'s answer, which reads the database: not on an I/O thread that may not wait for
// it (HttpRequest::memory_only), where the request is deferred to the worker pool.
template <typename Build>
HttpResponse FromDatabase(const HttpRequest& req, Build build) {
  return req.memory_only ? HttpResponse::Defer() : build();
}

// The answer kept under `key`, or `build`'s, kept for the next asker.
template <typename Build>
HttpResponse KeptAs(ResponseCache* answers, const std::string& key, const HttpRequest& req,
                    Build build) {
  if (!answers) return FromDatabase(req, build);
  if (auto kept = answers->Find(key, req)) return std::move(*kept);
  const uint64_t generation = answers->Generation();
  HttpResponse resp = FromDatabase(req, build);
  answers->Put(key, resp, generation);  // a deferral (status 0) is never kept
  return resp;
}

// The same, keyed by `scope` and the query string.
template <typename Build>
HttpResponse Kept(ResponseCache* answers, const char* scope, const HttpRequest& req, Build build) {
  return KeptAs(answers, scope + req.query, req, build);
}

}  // namespace

void RegisterReportRoutes(Router& router, ReportService& reports, ResponseCache* answers) {
  router.Add("GET", "/api/waste-types", Access::Public(), [](HttpRequest&) {
    boost::json::array items;
    for (const auto& t : WasteTypes()) {
      items.push_back(boost::json::object{{"code", t.code},
                                          {"label", t.label},
                                          {"labelUr", t.label_ur},
                                          {"defaultPriority", PriorityName(t.priority)},
                                          {"description", t.description}});
    }
    boost::json::array sizes;
    for (const auto& s : ReportSizes()) sizes.push_back(boost::json::value(s));
    HttpResponse r =
        HttpResponse::Json(200, boost::json::object{{"items", items}, {"sizes", sizes}});
    r.SetHeader("Cache-Control", "public, max-age=3600");
    return r;
  });

  router.AddUpload("POST", "/api/reports", Access::Roles({Role::kCitizen}),
                   [&reports](HttpRequest& req) { return Submit(reports, req); });
  // Every admin sees the same list for the same query, and everyone the same nearby
  // reports: such answers are kept until a report (or a reporter's name) changes. A text
  // search (q) reads many rows: it goes to the worker pool, and is not kept.
  router.AddQuickRead("/api/reports", Access::Roles({Role::kAdmin}),
                      [&reports, answers](HttpRequest& req) {
                        if (req.QueryParam("q"))
                          return FromDatabase(req, [&] { return List(reports, req); });
                        return Kept(answers, "reports|admin|", req,
                                    [&] { return List(reports, req); });
                      },
                      {"q"});
  router.AddQuickRead(
      "/api/reports/nearby", Access::AnyUser(), [&reports, answers](HttpRequest& req) {
        return Kept(answers, "reports/nearby|", req, [&] { return Nearby(reports, req); });
      });
  router.Add("GET", "/api/reports/user/:id", Access::AnyUser(), [&reports](HttpRequest& req) {
    int limit = 100;
    if (auto l = req.QueryParam("limit"); l && !ParseBoundedInt(*l, 1, 500, &limit)) {
      return ProblemResponse(
          Status::InvalidArgument("invalid query parameters", {{"limit", "must be 1 to 500"}}),
          req.request_id);
    }
    auto items = reports.ByUser(*req.principal, req.path_params["id"], limit);
    if (!items) return ProblemResponse(items.error(), req.request_id);
    boost::json::array arr;
    for (const auto& r : *items) arr.push_back(ReportJson(r, true));
    return HttpResponse::Json(200, boost::json::object{{"items", arr}});
  });
  router.AddQuickRead("/api/reports/:id", Access::AnyUser(), [&reports, answers](HttpRequest& req) {
    auto build = [&] {
      auto r = reports.Get(*req.principal, req.path_params["id"]);
      if (!r) return ProblemResponse(r.error(), req.request_id);
      return ReportResponse(200, *r, *req.principal);
    };
    // Admins may see every report, in full: one answer per report for all of them. Others'
    // answers depend on who asks (theirs, their truck's, one they follow).
    if (req.principal->role != Role::kAdmin) return FromDatabase(req, build);
    return KeptAs(answers, "reports/:id|admin|" + req.path_params["id"], req, build);
  });
  router.Add("PUT", "/api/reports/:id", Access::AnyUser(),
             [&reports](HttpRequest& req) { return Edit(reports, req); });
  router.AddUpload("PATCH", "/api/reports/:id/status", Access::Roles({Role::kAdmin, Role::kDriver}),
                   [&reports](HttpRequest& req) { return ChangeStatus(reports, req); });
  router.Add("DELETE", "/api/reports/:id", Access::Roles({Role::kAdmin}),
             [&reports](HttpRequest& req) {
               Status st = reports.Delete(*req.principal, req.path_params["id"], ClientOf(req));
               if (!st.ok()) return ProblemResponse(st, req.request_id);
               return HttpResponse::NoContent();
             });
  router.Add("POST", "/api/reports/:id/confirm", Access::Roles({Role::kCitizen}),
             [&reports](HttpRequest& req) {
               JsonInput in(req);
               auto kind = in.String("kind", {.required = true, .max = 20});
               if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
               auto r =
                   reports.Confirm(*req.principal, req.path_params["id"], *kind, ClientOf(req));
               if (!r) return ProblemResponse(r.error(), req.request_id);
               return HttpResponse::Json(200, ReportJson(*r, false));
             });
  router.Add("PUT", "/api/reports/:id/photo-visibility", Access::Roles({Role::kAdmin}),
             [&reports](HttpRequest& req) {
               JsonInput in(req);
               auto hidden = in.Bool("hidden", true);
               if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
               auto r = reports.SetPhotoHidden(*req.principal, req.path_params["id"], *hidden,
                                               ClientOf(req));
               if (!r) return ProblemResponse(r.error(), req.request_id);
               return HttpResponse::Json(200, ReportJson(*r, true));
             });
  // Following a public report: its news then reaches them as it reaches its reporter.
  router.Add("GET", "/api/reports/:id/follow", Access::AnyUser(), [&reports](HttpRequest& req) {
    auto follows = reports.Follows(*req.principal, req.path_params["id"]);
    if (!follows) return ProblemResponse(follows.error(), req.request_id);
    HttpResponse resp = HttpResponse::Json(200, boost::json::object{{"following", *follows}});
    resp.SetHeader("Cache-Control", "no-store");
    return resp;
  });
  for (const char* method : {"PUT", "DELETE"}) {
    const bool follow = std::string_view(method) == "PUT";
    router.Add(method, "/api/reports/:id/follow", Access::AnyUser(),
               [&reports, follow](HttpRequest& req) {
                 Status st = reports.Follow(*req.principal, req.path_params["id"], follow);
                 if (!st.ok()) return ProblemResponse(st, req.request_id);
                 return HttpResponse::NoContent();
               });
  }
  router.Add("GET", "/api/reports/:id/events", Access::AnyUser(), [&reports](HttpRequest& req) {
    auto events = reports.Events(*req.principal, req.path_params["id"]);
    if (!events) return ProblemResponse(events.error(), req.request_id);
    boost::json::array arr;
    for (const auto& e : *events) arr.push_back(EventJson(e, req.principal->role == Role::kAdmin));
    return HttpResponse::Json(200, boost::json::object{{"items", arr}});
  });
}

void ParseReportFilter(const HttpRequest& req, ReportFilter* out, std::vector<FieldError>* errs) {
  ReportFilter& f = *out;
  std::vector<FieldError>& errors = *errs;
  static const std::vector<std::string> kStatuses = {"submitted",   "acknowledged", "dispatched",
                                                     "in_progress", "resolved",     "rejected",
                                                     "duplicate"};
  if (auto v = req.QueryParam("status")) {
    f.statuses = SplitCommaList(*v);
    for (const auto& s : f.statuses) {
      if (std::find(kStatuses.begin(), kStatuses.end(), s) == kStatuses.end()) {
        errors.push_back({"status", "unknown status '" + s + "'"});
      }
    }
  }
  if (auto v = req.QueryParam("type")) {
    f.types = SplitCommaList(*v);
    for (const auto& t : f.types) {
      if (!FindWasteType(t)) errors.push_back({"type", "unknown waste type '" + t + "'"});
    }
  }
  if (auto v = req.QueryParam("priority")) {
    f.priorities = SplitCommaList(*v);
    for (const auto& p : f.priorities) {
      if (!IsPriority(p)) errors.push_back({"priority", "must be low, medium, high or urgent"});
    }
  }
  if (auto v = req.QueryParam("city")) {
    if (v->empty() || v->size() > 100) errors.push_back({"city", "must be 1 to 100 characters"});
    f.city = *v;
  }
  for (const char* k : {"from", "to"}) {
    if (auto v = req.QueryParam(k)) {
      SystemTime t;
      if (!ParseTime(*v, &t)) {
        errors.push_back({k, "must be an RFC 3339 date-time like 2026-11-24T00:00:00Z"});
      } else {
        (std::string(k) == "from" ? f.from : f.to) = FormatTime(t);
      }
    }
  }
  if (auto v = req.QueryParam("bbox")) {
    if (auto b = ParseBoundingBox(*v)) {
      f.min_lng = b->min_lng;
      f.min_lat = b->min_lat;
      f.max_lng = b->max_lng;
      f.max_lat = b->max_lat;
    } else {
      errors.push_back({"bbox", "must be minLng,minLat,maxLng,maxLat"});
    }
  }
}

}  // namespace cleanai
