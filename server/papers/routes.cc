// SPDX-License-Identifier: AGPL-3.0-or-later
// The papers endpoints: validation and JSON around PaperLibrary.
#include <boost/json.hpp>

#include "core/crypto.h"
#include "http/json_input.h"
#include "http/problem.h"
#include "papers/papers.h"

namespace cleanai {
namespace {

constexpr const char* kTopicRule = "must be detection, datasets, management or policy";

boost::json::object PaperJson(const Paper& p) {
  boost::json::object o{{"id", p.id},      {"title", p.title}, {"authors", p.authors},
                        {"year", p.year},  {"venue", p.venue}, {"url", p.url},
                        {"topic", p.topic}};
  o["doi"] = p.doi ? boost::json::value(*p.doi) : boost::json::value(nullptr);
  return o;
}

Result<PaperFields> ReadPaper(const HttpRequest& req, bool creating) {
  JsonInput in(req);
  PaperFields p;
  p.title = in.String("title", {.required = creating, .min = 1, .max = 300});
  p.authors = in.String("authors", {.required = creating, .min = 1, .max = 500});
  p.venue = in.String("venue", {.required = creating, .min = 1, .max = 200});
  p.url = in.String("url", {.required = creating, .min = 1, .max = 500});
  p.doi = in.String("doi", {.max = 200});
  p.topic = in.String("topic", {.required = creating, .max = 20});
  p.year = in.Int("year", 1900, 2100, creating);
  if (Status st = in.Finish(); !st.ok()) return Err(st);
  std::vector<FieldError> errors;
  if (p.url && p.url->rfind("https://", 0) != 0)
    errors.push_back({"url", "must be an https:// link"});
  if (p.topic && !IsPaperTopic(*p.topic)) errors.push_back({"topic", kTopicRule});
  if (!errors.empty()) return Err(Status::InvalidArgument("invalid paper", errors));
  return p;
}

}  // namespace

void RegisterPaperRoutes(Router& router, PaperLibrary& papers) {
  router.Add("GET", "/api/papers", Access::Public(), [&papers](HttpRequest& req) {
    auto q = req.QueryParam("q");
    auto topic = req.QueryParam("topic");
    std::vector<FieldError> errors;
    if (q && q->size() > 100) errors.push_back({"q", "at most 100 characters"});
    if (topic && !IsPaperTopic(*topic)) errors.push_back({"topic", kTopicRule});
    if (!errors.empty())
      return ProblemResponse(Status::InvalidArgument("invalid query", errors), req.request_id);
    auto list = papers.List(q, topic);
    if (!list) return ProblemResponse(list.error(), req.request_id);
    boost::json::array items;
    for (const auto& p : *list) items.push_back(PaperJson(p));
    return HttpResponse::Json(200, boost::json::object{{"items", items}});
  });

  router.Add("POST", "/api/papers", Access::Roles({Role::kAdmin}), [&papers](HttpRequest& req) {
    auto p = ReadPaper(req, true);
    if (!p) return ProblemResponse(p.error(), req.request_id);
    auto added = papers.Add(*p);
    if (!added) return ProblemResponse(added.error(), req.request_id);
    return HttpResponse::Json(201, PaperJson(*added));
  });

  router.Add("PUT", "/api/papers/:id", Access::Roles({Role::kAdmin}), [&papers](HttpRequest& req) {
    const std::string& id = req.path_params["id"];
    if (!IsUuid(id)) return ProblemResponse(Status::NotFound("no such paper"), req.request_id);
    auto p = ReadPaper(req, false);
    if (!p) return ProblemResponse(p.error(), req.request_id);
    auto updated = papers.Update(id, *p);
    if (!updated) return ProblemResponse(updated.error(), req.request_id);
    return HttpResponse::Json(200, PaperJson(*updated));
  });

  router.Add("DELETE", "/api/papers/:id", Access::Roles({Role::kAdmin}),
             [&papers](HttpRequest& req) {
               if (Status st = papers.Remove(req.path_params["id"]); !st.ok())
                 return ProblemResponse(st, req.request_id);
               return HttpResponse::NoContent();
             });
}

}  // namespace cleanai
