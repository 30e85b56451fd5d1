// SPDX-License-Identifier: AGPL-3.0-or-later
// HTTP handlers of the public side: the map, a report's public page, area alerts, feeds.
#include <boost/json.hpp>
#include <cmath>

#include "core/text.h"
#include "http/json_input.h"
#include "http/problem.h"
#include "public/public.h"

namespace cleanai {
namespace {

HttpResponse BadInput(const HttpRequest& req, std::vector<FieldError> errors) {
  return ProblemResponse(Status::InvalidArgument("the request's values are not valid", errors),
                         req.request_id);
}

void ReadTypes(const std::optional<std::string>& text, std::vector<std::string>* types,
               std::vector<FieldError>* errors) {
  if (!text) return;
  if (text->size() > 500) {
    errors->push_back({"types", "is too long"});
    return;
  }
  *types = SplitCommaList(*text);
  for (const auto& t : *types) {
    if (!FindWasteType(t)) errors->push_back({"types", "unknown waste type '" + t + "'"});
  }
}

// Cached by browsers and by nginx for a short while; the answer is the same for everyone.
HttpResponse PublicJson(const boost::json::value& body, int max_age) {
  HttpResponse resp = HttpResponse::Json(200, body);
  resp.SetHeader("Cache-Control", "public, max-age=" + std::to_string(max_age));
  return resp;
}

HttpResponse MapRoute(PublicMap& map, HttpRequest& req) {
  std::vector<FieldError> errors;
  MapQuery q;
  auto bbox = req.QueryParam("bbox");
  auto box = bbox ? ParseBoundingBox(*bbox) : std::nullopt;
  if (!box) {
    errors.push_back({"bbox",
                      "is required: minLng,minLat,maxLng,maxLat within the world, "
                      "minimum below maximum"});
  }
  auto zoom = req.QueryParam("zoom");
  if (!zoom || !ParseBoundedInt(*zoom, 0, 20, &q.zoom)) {
    errors.push_back({"zoom", "is required, 0 to 20"});
  }
  if (box && errors.empty()) {
    // No more than a large screen shows at this zoom (16 tiles across): a country's worth
    // at street level is a mistake, not a view.
    const double most = 360.0 / std::pow(2.0, q.zoom) * 16;
    if (box->max_lng - box->min_lng > most || box->max_lat - box->min_lat > most) {
      errors.push_back({"bbox",
                        "is larger than 16 map tiles at this zoom; zoom out or send a "
                        "smaller box"});
    }
    q.box = *box;
  }
  if (auto show = req.QueryParam("show")) {
    q.open = q.fixed = false;
    for (const auto& s : SplitCommaList(*show)) {
      if (s == "open") {
        q.open = true;
      } else if (s == "fixed") {
        q.fixed = true;
      } else {
        errors.push_back({"show", "must be open, fixed or open,fixed"});
      }
    }
    if (!q.open && !q.fixed) errors.push_back({"show", "must be open, fixed or open,fixed"});
  }
  ReadTypes(req.QueryParam("types"), &q.types, &errors);
  if (auto days = req.QueryParam("days"); days && !ParseBoundedInt(*days, 1, 365, &q.days)) {
    errors.push_back({"days", "must be 1 to 365"});
  }
  if (!errors.empty()) return BadInput(req, std::move(errors));
  auto answer = map.Query(q);
  if (!answer) return ProblemResponse(answer.error(), req.request_id);
  boost::json::object body{{"clustered", answer->clustered}, {"total", answer->total}};
  if (answer->clustered) {
    boost::json::array cells;
    cells.reserve(answer->cells.size());
    for (const auto& c : answer->cells) {
      cells.push_back(boost::json::object{{"lat", c.lat}, {"lng", c.lng}, {"count", c.count}});
    }
    body["cellDegrees"] = answer->cell_degrees;
    body["cells"] = std::move(cells);
  } else {
    boost::json::array points;
    points.reserve(answer->points.size());
    for (const auto& p : answer->points) {
      points.push_back(boost::json::object{
          {"id", p.id},
          {"wasteType", p.waste_type},
          {"status", p.status},
          {"createdAt", p.created_at},
          {"lat", p.lat},
          {"lng", p.lng},
          {"thumbnailUrl", p.thumbnail_key ? boost::json::value(MediaUrl(*p.thumbnail_key))
                                           : boost::json::value(nullptr)}});
    }
    body["reports"] = std::move(points);
  }
  return PublicJson(body, 10);
}

boost::json::object PublicPage(const Report& r, const std::vector<ReportService::PublicStep>& s) {
  boost::json::object o = PublicReportJson(r);
  boost::json::array steps;
  for (const auto& step : s) {
    boost::json::object item{{"status", step.status}, {"at", step.at}};
    steps.push_back(std::move(item));
  }
  o["timeline"] = std::move(steps);
  return o;
}

boost::json::object SubscriptionJson(const AreaSubscription& s) {
  boost::json::object area{{"kind", s.area.kind}};
  if (s.area.kind == "box") {
    area["bbox"] = boost::json::array{s.area.box.min_lng, s.area.box.min_lat, s.area.box.max_lng,
                                      s.area.box.max_lat};
  } else if (s.area.kind == "radius") {
    area["lat"] = s.area.lat;
    area["lng"] = s.area.lng;
    area["radiusM"] = s.area.radius_m;
  } else {
    area["city"] = s.area.city;
  }
  boost::json::array types;
  for (const auto& t : s.types) types.push_back(boost::json::value(t));
  return {{"id", s.id},
          {"label", s.label},
          {"area", std::move(area)},
          {"types", std::move(types)},
          {"createdAt", s.created_at}};
}

// ---- Atom (RFC 4287) ----

std::string AtomText(const std::string& s) { return EscapeMarkup(s); }

std::string AtomEntry(const std::string& id_url, const std::string& title,
                      const std::string& summary, const std::string& published,
                      const std::string& updated) {
  return "<entry><title>" + AtomText(title) + "</title><id>" + AtomText(id_url) +
         "</id><link rel=\"alternate\" type=\"text/html\" href=\"" + AtomText(id_url) +
         "\"/><published>" + AtomText(published) + "</published><updated>" + AtomText(updated) +
         "</updated><summary>" + AtomText(summary) + "</summary></entry>";
}

HttpResponse AtomFeed(const std::string& self, const std::string& alternate,
                      const std::string& title, const std::string& updated,
                      const std::string& entries) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>" +
      AtomText(title) + "</title><id>" + AtomText(self) + "</id><updated>" + AtomText(updated) +
      "</updated><link rel=\"self\" type=\"application/atom+xml\" href=\"" + AtomText(self) +
      "\"/><link rel=\"alternate\" type=\"text/html\" href=\"" + AtomText(alternate) +
      "\"/><author><name>CleanAI</name></author><generator>CleanAI</generator>" + entries +
      "</feed>\n";
  HttpResponse resp = HttpResponse::Text(200, "application/atom+xml; charset=utf-8", xml);
  resp.SetHeader("Cache-Control", "public, max-age=60");
  return resp;
}

std::string ReportTitle(const Report& r) {
  const WasteType* t = FindWasteType(r.waste_type);
  return (t ? t->label : r.waste_type) + " at " + r.address;
}

std::string StatusWords(const std::string& status) {
  if (status == "submitted") return "Reported";
  if (status == "acknowledged") return "Acknowledged by the city";
  if (status == "dispatched") return "A truck is on its way";
  if (status == "in_progress") return "Cleanup started";
  if (status == "resolved") return "Cleaned up";
  return status;
}

// The request's own URL on the public site (the feed's id and self link).
std::string SelfUrl(const Config& config, const HttpRequest& req) {
  return config.public_url + req.path + (req.query.empty() ? "" : "?" + req.query);
}

HttpResponse AreaFeed(ReportService& reports, const Config& config, HttpRequest& req) {
  std::vector<FieldError> errors;
  auto area = ReadArea(AreaInput::FromQuery(req), &errors);
  std::vector<std::string> types;
  ReadTypes(req.QueryParam("types"), &types, &errors);
  if (!area || !errors.empty()) return BadInput(req, std::move(errors));
  ReportFilter f;
  f.statuses = {"submitted", "acknowledged", "dispatched", "in_progress", "resolved"};
  f.types = types;
  if (area->kind == "city") {
    f.city = area->city;
  } else {
    f.min_lat = area->box.min_lat;
    f.max_lat = area->box.max_lat;
    f.min_lng = area->box.min_lng;
    f.max_lng = area->box.max_lng;
  }
  f.limit = 50;
  auto list = reports.List(f);
  if (!list) return ProblemResponse(list.error(), req.request_id);
  std::string entries, updated = "1970-01-01T00:00:00.000Z";
  for (const auto& r : *list) {
    if (!IsPublic(r) || !area->Contains(r)) continue;
    updated = std::max(updated, r.updated_at);
    entries +=
        AtomEntry(config.public_url + "/reports/" + r.id, ReportTitle(r),
                  StatusWords(std::string(StatusName(r.status))) + ".", r.created_at, r.updated_at);
  }
  std::string label = area->kind == "city" ? area->city : std::string("the chosen area");
  std::string map = config.public_url + "/map";
  if (area->kind != "city") {
    char view[96];
    std::snprintf(view, sizeof view, "?lat=%.4f&lng=%.4f&z=13",
                  (area->box.min_lat + area->box.max_lat) / 2,
                  (area->box.min_lng + area->box.max_lng) / 2);
    map += view;
  }
  return AtomFeed(SelfUrl(config, req), map, "CleanAI: new reports in " + label, updated, entries);
}

HttpResponse ReportFeed(ReportService& reports, const Config& config, HttpRequest& req) {
  const std::string& file = req.path_params["file"];
  const std::string id = file.size() > 5 && file.substr(file.size() - 5) == ".atom"
                             ? file.substr(0, file.size() - 5)
                             : std::string();
  auto page = reports.GetPublic(id);
  if (!page) return ProblemResponse(page.error(), req.request_id);
  const Report& r = page->first;
  const std::string url = config.public_url + "/reports/" + r.id;
  std::string entries;
  // Newest first, as feed readers list them.
  for (auto it = page->second.rbegin(); it != page->second.rend(); ++it) {
    entries += AtomEntry(url + "#" + it->status + "-" + it->at, StatusWords(it->status),
                         ReportTitle(r) + ": " + StatusWords(it->status) + ".", it->at, it->at);
  }
  return AtomFeed(SelfUrl(config, req), url, "CleanAI: " + ReportTitle(r), r.updated_at, entries);
}

}  // namespace

AreaInput AreaInput::FromQuery(const HttpRequest& req) {
  return {req.QueryParam("bbox"), req.QueryParam("lat"), req.QueryParam("lng"),
          req.QueryParam("radius"), req.QueryParam("city")};
}

std::optional<Area> ReadArea(const AreaInput& in, std::vector<FieldError>* errors) {
  Area a;
  const auto& [bbox, lat, lng, radius, city] = in;
  int given = (bbox ? 1 : 0) + (lat || lng || radius ? 1 : 0) + (city ? 1 : 0);
  if (given != 1) {
    errors->push_back({"area", "give exactly one of bbox, lat+lng+radius or city"});
    return std::nullopt;
  }
  if (bbox) {
    auto box = ParseBoundingBox(*bbox);
    if (!box) {
      errors->push_back({"bbox",
                         "must be minLng,minLat,maxLng,maxLat within the world, minimum "
                         "below maximum"});
      return std::nullopt;
    }
    if (box->max_lng - box->min_lng > AreaAlerts::kMaxBoxDegrees ||
        box->max_lat - box->min_lat > AreaAlerts::kMaxBoxDegrees) {
      errors->push_back({"bbox", "may span at most 1 degree each way (about a city)"});
      return std::nullopt;
    }
    a.kind = "box";
    a.box = *box;
    return a;
  }
  if (city) {
    if (city->empty() || Utf8Length(*city) > 100) {
      errors->push_back({"city", "must be 1 to 100 characters"});
      return std::nullopt;
    }
    a.kind = "city";
    a.city = *city;
    return a;
  }
  if (!lat || !lng || !radius || !ParseFiniteDouble(*lat, &a.lat) ||
      !ParseFiniteDouble(*lng, &a.lng) || !ParseFiniteDouble(*radius, &a.radius_m) ||
      std::abs(a.lat) > 90 || std::abs(a.lng) > 180) {
    errors->push_back({"lat", "lat, lng and radius must all be given: a place and metres"});
    return std::nullopt;
  }
  if (a.radius_m < 50 || a.radius_m > AreaAlerts::kMaxRadiusM) {
    errors->push_back({"radius", "must be 50 to 20000 metres"});
    return std::nullopt;
  }
  a.kind = "radius";
  a.box = CircleBox(a.lat, a.lng, a.radius_m);
  return a;
}

void RegisterPublicRoutes(Router& router, PublicMap& map, ReportService& reports,
                          AreaAlerts& alerts, const Config& config) {
  router.Add("GET", "/api/public/map", Access::Public(),
             [&map](HttpRequest& req) { return MapRoute(map, req); });
  router.Add("GET", "/api/public/reports/:id", Access::Public(), [&reports](HttpRequest& req) {
    auto page = reports.GetPublic(req.path_params["id"]);
    if (!page) return ProblemResponse(page.error(), req.request_id);
    return PublicJson(PublicPage(page->first, page->second), 10);
  });

  router.Add("GET", "/api/area-subscriptions", Access::AnyUser(), [&alerts](HttpRequest& req) {
    auto list = alerts.List(*req.principal);
    if (!list) return ProblemResponse(list.error(), req.request_id);
    boost::json::array items;
    for (const auto& s : *list) items.push_back(SubscriptionJson(s));
    return HttpResponse::Json(200, boost::json::object{{"items", std::move(items)}});
  });
  router.Add("POST", "/api/area-subscriptions", Access::AnyUser(), [&alerts](HttpRequest& req) {
    // The area comes as the query string does for feeds (one of bbox, lat+lng+radius,
    // city), in the JSON body: one reader, one set of rules.
    JsonInput in(req);
    auto label = in.String("label", {.required = true, .min = 1, .max = 100});
    auto bbox = in.String("bbox", {.max = 200});
    auto city = in.String("city", {.max = 100});
    auto lat = in.Double("lat", -90, 90), lng = in.Double("lng", -180, 180);
    auto radius = in.Double("radiusM", 0, 1e9);
    auto types = in.String("types", {.max = 500});
    if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
    auto num = [](const std::optional<double>& d) {
      char buf[40];
      if (!d) return std::optional<std::string>();
      std::snprintf(buf, sizeof buf, "%.7f", *d);
      return std::optional<std::string>(buf);
    };
    std::vector<FieldError> errors;
    auto area = ReadArea({bbox, num(lat), num(lng), num(radius), city}, &errors);
    std::vector<std::string> type_list;
    ReadTypes(types, &type_list, &errors);
    if (!area || !errors.empty()) return BadInput(req, std::move(errors));
    auto made = alerts.Create(*req.principal, *label, *area, type_list);
    if (!made) return ProblemResponse(made.error(), req.request_id);
    return HttpResponse::Json(201, SubscriptionJson(*made));
  });
  router.Add("DELETE", "/api/area-subscriptions/:id", Access::AnyUser(),
             [&alerts](HttpRequest& req) {
               Status st = alerts.Remove(*req.principal, req.path_params["id"]);
               if (!st.ok()) return ProblemResponse(st, req.request_id);
               return HttpResponse::NoContent();
             });
  // The one-click link of each alert message: the token alone, no sign-in (RFC 8058's
  // spirit: a POST, so a mail scanner following links does not unsubscribe anyone).
  router.Add("POST", "/api/area-subscriptions/unsubscribe", Access::Public(),
             [&alerts](HttpRequest& req) {
               JsonInput in(req);
               auto token = in.String("token", {.required = true, .min = 1, .max = 64});
               if (Status st = in.Finish(); !st.ok()) return ProblemResponse(st, req.request_id);
               Status st = alerts.Unsubscribe(*token);
               if (!st.ok()) return ProblemResponse(st, req.request_id);
               return HttpResponse::NoContent();
             });

  router.Add("GET", "/feeds/area.atom", Access::Public(),
             [&reports, &config](HttpRequest& req) { return AreaFeed(reports, config, req); });
  router.Add("GET", "/feeds/reports/:file", Access::Public(),
             [&reports, &config](HttpRequest& req) { return ReportFeed(reports, config, req); });
}

}  // namespace cleanai
