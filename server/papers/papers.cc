#include "papers/papers.h"

#include <boost/json.hpp>

#include "core/crypto.h"
#include "core/text.h"
#include "http/json_input.h"
#include "http/problem.h"

namespace cleanai {
namespace {

const char* const kTopics[] = {"detection", "datasets", "management", "policy"};

boost::json::object PaperJson(const Row& r) {
  boost::json::object o{{"id", r.Text("id")},           {"title", r.Text("title")},
                        {"authors", r.Text("authors")}, {"year", r.Int("year")},
                        {"venue", r.Text("venue")},     {"url", r.Text("url")},
                        {"topic", r.Text("topic")}};
  o["doi"] = r.IsNull("doi") ? boost::json::value(nullptr) : boost::json::value(r.Text("doi"));
  return o;
}

struct PaperInput {
  std::optional<std::string> title, authors, venue, url, doi, topic;
  std::optional<int64_t> year;
};

Result<PaperInput> Parse(const HttpRequest& req, bool creating) {
  JsonInput in(req);
  PaperInput p;
  p.title = in.String("title", {.required = creating, .min = 1, .max = 300});
  p.authors = in.String("authors", {.required = creating, .min = 1, .max = 500});
  p.venue = in.String("venue", {.required = creating, .min = 1, .max = 200});
  p.url = in.String("url", {.required = creating, .min = 1, .max = 500});
  p.doi = in.String("doi", {.max = 200});
  p.topic = in.String("topic", {.required = creating, .max = 20});
  p.year = in.Int("year", 1900, 2100, creating);
  Status st = in.Finish();
  if (!st.ok()) return Err(st);
  std::vector<FieldError> errors;
  if (p.url && p.url->rfind("https://", 0) != 0) errors.push_back({"url", "must be an https:// link"});
  if (p.topic) {
    bool ok = false;
    for (const char* t : kTopics) ok |= *p.topic == t;
    if (!ok) errors.push_back({"topic", "must be detection, datasets, management or policy"});
  }
  if (!errors.empty()) return Err(Status::InvalidArgument("invalid paper", errors));
  return p;
}

Value Opt(const std::optional<std::string>& v) { return v ? Value(*v) : Value(nullptr); }

}  // namespace

void RegisterPaperRoutes(Router& router, Database& db, const Clock& clock) {
  router.Add("GET", "/api/papers", Access::Public(), [&db](HttpRequest& req) {
    std::string sql =
        "SELECT id, title, authors, year, venue, url, doi, topic FROM papers WHERE 1 = 1";
    std::vector<Value> params;
    if (auto q = req.QueryParam("q")) {
      if (q->size() > 100) {
        return ProblemResponse(Status::InvalidArgument("invalid query", {{"q", "at most 100 characters"}}),
                               req.request_id);
      }
      params.push_back(LikeContains(*q));
      std::string n = "$" + std::to_string(params.size());
      sql += " AND (lower(title) LIKE " + n + " ESCAPE '\\' OR lower(authors) LIKE " + n +
             " ESCAPE '\\' OR lower(venue) LIKE " + n + " ESCAPE '\\')";
    }
    if (auto t = req.QueryParam("topic")) {
      bool ok = false;
      for (const char* k : kTopics) ok |= *t == k;
      if (!ok) {
        return ProblemResponse(
            Status::InvalidArgument("invalid query", {{"topic", "must be detection, datasets, management or policy"}}),
            req.request_id);
      }
      params.push_back(*t);
      sql += " AND topic = $" + std::to_string(params.size());
    }
    sql += " ORDER BY year DESC, title LIMIT 200";
    auto r = db.Execute(sql, params);
    if (!r) return ProblemResponse(r.error(), req.request_id);
    boost::json::array items;
    for (const auto& row : r->rows) items.push_back(PaperJson(row));
    return HttpResponse::Json(200, boost::json::object{{"items", items}});
  });

  router.Add("POST", "/api/papers", Access::Roles({"admin"}), [&db, &clock](HttpRequest& req) {
    auto p = Parse(req, true);
    if (!p) return ProblemResponse(p.error(), req.request_id);
    std::string id = NewUuidV7(), now = FormatTime(clock.Now());
    auto r = db.Execute(
        "INSERT INTO papers (id, title, authors, year, venue, url, doi, topic, created_at, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id, title, "
        "authors, year, venue, url, doi, topic",
        {id, *p->title, *p->authors, *p->year, *p->venue, *p->url, Opt(p->doi), *p->topic, now});
    if (!r) return ProblemResponse(r.error(), req.request_id);
    return HttpResponse::Json(201, PaperJson(r->rows.at(0)));
  });

  router.Add("PUT", "/api/papers/:id", Access::Roles({"admin"}), [&db, &clock](HttpRequest& req) {
    const std::string& id = req.path_params["id"];
    if (!IsUuid(id)) return ProblemResponse(Status::NotFound("no such paper"), req.request_id);
    auto p = Parse(req, false);
    if (!p) return ProblemResponse(p.error(), req.request_id);
    auto r = db.Execute(
        "UPDATE papers SET title = COALESCE($1, title), authors = COALESCE($2, authors), "
        "year = COALESCE($3, year), venue = COALESCE($4, venue), url = COALESCE($5, url), "
        "doi = COALESCE($6, doi), topic = COALESCE($7, topic), updated_at = $8 WHERE id = $9 "
        "RETURNING id, title, authors, year, venue, url, doi, topic",
        {Opt(p->title), Opt(p->authors), p->year ? Value(*p->year) : Value(nullptr), Opt(p->venue),
         Opt(p->url), Opt(p->doi), Opt(p->topic), FormatTime(clock.Now()), id});
    if (!r) return ProblemResponse(r.error(), req.request_id);
    if (r->rows.empty()) return ProblemResponse(Status::NotFound("no such paper"), req.request_id);
    return HttpResponse::Json(200, PaperJson(r->rows[0]));
  });

  router.Add("DELETE", "/api/papers/:id", Access::Roles({"admin"}), [&db](HttpRequest& req) {
    const std::string& id = req.path_params["id"];
    if (!IsUuid(id)) return ProblemResponse(Status::NotFound("no such paper"), req.request_id);
    auto r = db.Execute("DELETE FROM papers WHERE id = $1", {id});
    if (!r) return ProblemResponse(r.error(), req.request_id);
    if (r->affected_rows == 0) return ProblemResponse(Status::NotFound("no such paper"), req.request_id);
    return HttpResponse::NoContent();
  });
}

}  // namespace cleanai
