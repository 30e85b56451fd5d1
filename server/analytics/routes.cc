// SPDX-License-Identifier: AGPL-3.0-or-later
// HTTP handlers for the admin's statistics and the report exports.
#include <boost/json.hpp>
#include <cmath>

#include "analytics/dashboard.h"
#include "http/problem.h"

namespace cleanai {
namespace {

// Exports stop here; a larger set must be narrowed with filters (the response says so).
constexpr int kMaxExportRows = 50000;

boost::json::value Hours(const std::optional<double>& seconds) {
  if (!seconds) return nullptr;
  return std::round(*seconds / 360.0) / 10.0;  // one decimal
}

boost::json::object PercentilesJson(const Percentiles& p) {
  return {{"count", p.count},
          {"p50Hours", Hours(p.p50)},
          {"p90Hours", Hours(p.p90)},
          {"p95Hours", Hours(p.p95)}};
}

boost::json::array Counts(const std::vector<int64_t>& v) {
  return boost::json::array(v.begin(), v.end());
}

// ?days= for the windowed statistics: 1 to 366, `fallback` when absent.
bool ReadDays(const HttpRequest& req, int fallback, int* days, std::vector<FieldError>* errors) {
  *days = fallback;
  auto v = req.QueryParam("days");
  if (v && !ParseBoundedInt(*v, 1, 366, days)) {
    errors->push_back({"days", "must be a whole number of days from 1 to 366"});
    return false;
  }
  return true;
}

HttpResponse BadQuery(const HttpRequest& req, std::vector<FieldError> errors) {
  return ProblemResponse(Status::InvalidArgument("invalid query parameters", std::move(errors)),
                         req.request_id);
}

// Every report matching the reports list's filters, newest first, up to the export limit.
Result<std::vector<Report>> ExportRows(ReportService& reports, ReportFilter f, bool* too_many) {
  std::vector<Report> all;
  f.limit = 1000;
  f.from_replica = true;
  for (;;) {
    auto page = reports.List(f);
    if (!page) return Err(page.error());
    for (auto& r : *page) all.push_back(std::move(r));
    if (static_cast<int>(all.size()) > kMaxExportRows) {
      *too_many = true;
      return all;
    }
    if (static_cast<int>(page->size()) < f.limit) return all;
    f.cursor = all.back().id;
  }
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

std::string CsvExport(const std::vector<Report>& rows) {
  std::string out =
      "id,created_at,status,priority,waste_type,ai_detected_type,ai_confidence,latitude,"
      "longitude,address,city,description,size,blocks_drain,dispatched_to,resolved_at,"
      "photo_url\r\n";
  for (const auto& r : rows) {
    auto opt = [](const std::optional<std::string>& v) { return CsvField(v.value_or("")); };
    out +=
        r.id + "," + r.created_at + "," + std::string(StatusName(r.status)) + "," +
        std::string(PriorityName(r.priority)) + "," + r.waste_type + "," + opt(r.ai_detected_type) +
        "," + (r.ai_confidence ? Num(*r.ai_confidence) : std::string()) + "," + Num(r.lat) + "," +
        Num(r.lng) + "," + CsvField(r.address) + "," + opt(r.city) + "," + opt(r.description) +
        "," + opt(r.size) + "," + (r.blocks_drain ? "true" : "false") + "," + opt(r.dispatched_to) +
        "," + opt(r.resolved_at) + "," + CsvField(MediaUrl(r.image_key)) + "\r\n";
  }
  return out;
}

std::string GeoJsonExport(const std::vector<Report>& rows) {
  boost::json::array features;
  features.reserve(rows.size());
  auto opt = [](const std::optional<std::string>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
  };
  for (const auto& r : rows) {
    boost::json::object props{
        {"id", r.id},
        {"createdAt", r.created_at},
        {"status", StatusName(r.status)},
        {"priority", PriorityName(r.priority)},
        {"wasteType", r.waste_type},
        {"aiDetectedType", opt(r.ai_detected_type)},
        {"aiConfidence",
         r.ai_confidence ? boost::json::value(*r.ai_confidence) : boost::json::value(nullptr)},
        {"address", r.address},
        {"city", opt(r.city)},
        {"description", opt(r.description)},
        {"size", opt(r.size)},
        {"blocksDrain", r.blocks_drain},
        {"dispatchedTo", opt(r.dispatched_to)},
        {"resolvedAt", opt(r.resolved_at)},
        {"photoUrl", MediaUrl(r.image_key)}};
    // RFC 7946: longitude first.
    features.push_back(boost::json::object{
        {"type", "Feature"},
        {"geometry",
         boost::json::object{{"type", "Point"}, {"coordinates", boost::json::array{r.lng, r.lat}}}},
        {"properties", std::move(props)}});
  }
  return boost::json::serialize(
      boost::json::object{{"type", "FeatureCollection"}, {"features", std::move(features)}});
}

HttpResponse Export(ReportService& reports, HttpRequest& req, bool csv) {
  ReportFilter f;
  std::vector<FieldError> errors;
  ParseReportFilter(req, &f, &errors);
  if (!errors.empty()) return BadQuery(req, std::move(errors));
  bool too_many = false;
  auto rows = ExportRows(reports, f, &too_many);
  if (!rows) return ProblemResponse(rows.error(), req.request_id);
  if (too_many) {
    return ProblemResponse(
        Status::InvalidArgument("more than " + std::to_string(kMaxExportRows) +
                                    " reports match; narrow the export with from/to, status, "
                                    "type, city or bbox",
                                {{"filters", "match too many reports"}}),
        req.request_id);
  }
  std::string stamp = FormatTime(SystemClock().Now()).substr(0, 10);
  HttpResponse resp = csv ? HttpResponse::Text(200, "text/csv; charset=utf-8", CsvExport(*rows))
                          : HttpResponse::Text(200, "application/geo+json", GeoJsonExport(*rows));
  resp.SetHeader("Content-Disposition", std::string("attachment; filename=\"cleanai-reports-") +
                                            stamp + (csv ? ".csv\"" : ".geojson\""));
  resp.SetHeader("Cache-Control", "no-store");
  return resp;
}

}  // namespace

std::string CsvField(const std::string& text) {
  std::string v = text;
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) {
    v = "'" + v;
  }
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

void RegisterAnalyticsRoutes(Router& router, AnalyticsService& analytics, ReportService& reports) {
  const Access admin = Access::Roles({Role::kAdmin});
  router.Add("GET", "/api/analytics/summary", admin, [&analytics](HttpRequest& req) {
    auto s = analytics.Dashboard();
    if (!s) return ProblemResponse(s.error(), req.request_id);
    return HttpResponse::Json(
        200, boost::json::object{{"openReports", s->open_reports},
                                 {"reportsToday", s->reports_today},
                                 {"resolvedLast7Days", s->resolved_last_7_days},
                                 {"medianHoursToResolve", Hours(s->median_seconds_to_resolve)},
                                 {"activeVehicles", s->active_vehicles},
                                 {"vehicles", s->vehicles}});
  });

  router.Add("GET", "/api/analytics/series", admin, [&analytics](HttpRequest& req) {
    std::vector<FieldError> errors;
    int days = 30;
    if (!ReadDays(req, 30, &days, &errors)) return BadQuery(req, std::move(errors));
    auto s = analytics.Series(days);
    if (!s) return ProblemResponse(s.error(), req.request_id);
    boost::json::object by_type, by_status;
    for (const auto& [k, v] : s->by_type) by_type[k] = Counts(v);
    for (const auto& [k, v] : s->by_status) by_status[k] = Counts(v);
    return HttpResponse::Json(
        200, boost::json::object{{"days", boost::json::array(s->days.begin(), s->days.end())},
                                 {"filed", Counts(s->filed)},
                                 {"resolved", Counts(s->resolved)},
                                 {"byType", std::move(by_type)},
                                 {"byStatus", std::move(by_status)}});
  });

  router.Add("GET", "/api/analytics/cities", admin, [&analytics](HttpRequest& req) {
    std::vector<FieldError> errors;
    int days = 30;
    if (!ReadDays(req, 30, &days, &errors)) return BadQuery(req, std::move(errors));
    auto cities = analytics.ByCity(days);
    if (!cities) return ProblemResponse(cities.error(), req.request_id);
    boost::json::array items;
    for (const auto& c : *cities) {
      items.push_back(boost::json::object{
          {"city", c.city.empty() ? boost::json::value(nullptr) : boost::json::value(c.city)},
          {"reports", c.reports},
          {"open", c.open}});
    }
    return HttpResponse::Json(200, boost::json::object{{"days", days}, {"items", items}});
  });

  router.Add("GET", "/api/analytics/grid", admin, [&analytics](HttpRequest& req) {
    std::vector<FieldError> errors;
    GridQuery q;
    auto bbox = req.QueryParam("bbox");
    auto box = bbox ? ParseBoundingBox(*bbox) : std::nullopt;
    bool ok = box.has_value();
    if (box) {
      q.min_lng = box->min_lng;
      q.min_lat = box->min_lat;
      q.max_lng = box->max_lng;
      q.max_lat = box->max_lat;
    }
    if (!ok) errors.push_back({"bbox", "is required: minLng,minLat,maxLng,maxLat"});
    auto zoom = req.QueryParam("zoom");
    if (!zoom || !ParseBoundedInt(*zoom, 0, 20, &q.zoom)) {
      errors.push_back({"zoom", "is required, 0 to 20"});
    }
    if (auto scope = req.QueryParam("scope")) {
      if (*scope != "open" && *scope != "all") errors.push_back({"scope", "must be open or all"});
      q.open_only = *scope != "all";
    }
    ReadDays(req, 30, &q.days, &errors);
    if (!errors.empty()) return BadQuery(req, std::move(errors));
    double cell = 0;
    auto cells = analytics.Grid(q, &cell);
    if (!cells) return ProblemResponse(cells.error(), req.request_id);
    boost::json::array items;
    items.reserve(cells->size());
    int64_t max = 0;
    for (const auto& c : *cells) {
      items.push_back(boost::json::object{{"lat", c.lat}, {"lng", c.lng}, {"count", c.count}});
      max = std::max(max, c.count);
    }
    return HttpResponse::Json(200, boost::json::object{{"cellDegrees", cell},
                                                       {"scope", q.open_only ? "open" : "all"},
                                                       {"maxCount", max},
                                                       {"cells", std::move(items)}});
  });

  router.Add("GET", "/api/analytics/response-times", admin, [&analytics](HttpRequest& req) {
    std::vector<FieldError> errors;
    int days = 30;
    if (!ReadDays(req, 30, &days, &errors)) return BadQuery(req, std::move(errors));
    auto ack = analytics.TimeToAcknowledge(days);
    if (!ack) return ProblemResponse(ack.error(), req.request_id);
    auto resolve = analytics.TimeToResolve(days);
    if (!resolve) return ProblemResponse(resolve.error(), req.request_id);
    return HttpResponse::Json(200, boost::json::object{{"days", days},
                                                       {"toAcknowledge", PercentilesJson(*ack)},
                                                       {"toResolve", PercentilesJson(*resolve)}});
  });

  router.Add("GET", "/api/analytics/export.csv", admin,
             [&reports](HttpRequest& req) { return Export(reports, req, true); });
  router.Add("GET", "/api/analytics/export.geojson", admin,
             [&reports](HttpRequest& req) { return Export(reports, req, false); });
}

}  // namespace cleanai
