// SPDX-License-Identifier: AGPL-3.0-or-later
#include "papers/papers.h"

#include "core/crypto.h"
#include "core/text.h"

namespace cleanai {
namespace {

constexpr const char* kColumns = "id, title, authors, year, venue, url, doi, topic";

Paper FromRow(const Row& r) {
  return {r.Text("id"),  r.Text("title"), r.Text("authors"), r.Text("venue"),
          r.Text("url"), r.Text("topic"), r.Int("year"),     r.OptText("doi")};
}

Value Opt(const std::optional<std::string>& v) { return v ? Value(*v) : Value(nullptr); }

}  // namespace

bool IsPaperTopic(const std::string& topic) {
  return topic == "detection" || topic == "datasets" || topic == "management" || topic == "policy";
}

Result<std::vector<Paper>> PaperLibrary::List(const std::optional<std::string>& query,
                                              const std::optional<std::string>& topic) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM papers WHERE 1 = 1";
  std::vector<Value> params;
  if (query) {
    params.push_back(LikeContains(*query));
    std::string n = "$" + std::to_string(params.size());
    sql += " AND (lower(title) LIKE " + n + " ESCAPE '\\' OR lower(authors) LIKE " + n +
           " ESCAPE '\\' OR lower(venue) LIKE " + n + " ESCAPE '\\')";
  }
  if (topic) {
    params.push_back(*topic);
    sql += " AND topic = $" + std::to_string(params.size());
  }
  sql += " ORDER BY year DESC, title LIMIT 200";
  auto r = db_.Execute(sql, params);
  if (!r) return Err(r.error());
  std::vector<Paper> out;
  for (const auto& row : r->rows) out.push_back(FromRow(row));
  return out;
}

Result<Paper> PaperLibrary::Add(const PaperFields& p) {
  auto r = db_.Execute(
      "INSERT INTO papers (id, title, authors, year, venue, url, doi, topic, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING " +
          std::string(kColumns),
      {NewUuidV7(), Opt(p.title), Opt(p.authors), p.year ? Value(*p.year) : Value(nullptr),
       Opt(p.venue), Opt(p.url), Opt(p.doi), Opt(p.topic), FormatTime(clock_.Now())});
  if (!r) return Err(r.error());
  return FromRow(r->rows.at(0));
}

Result<Paper> PaperLibrary::Update(const std::string& id, const PaperFields& p) {
  if (!IsUuid(id)) return Err(Status::NotFound("no such paper"));
  auto r = db_.Execute(
      "UPDATE papers SET title = COALESCE($1, title), authors = COALESCE($2, authors), "
      "year = COALESCE($3, year), venue = COALESCE($4, venue), url = COALESCE($5, url), "
      "doi = COALESCE($6, doi), topic = COALESCE($7, topic), updated_at = $8 WHERE id = $9 "
      "RETURNING " +
          std::string(kColumns),
      {Opt(p.title), Opt(p.authors), p.year ? Value(*p.year) : Value(nullptr), Opt(p.venue),
       Opt(p.url), Opt(p.doi), Opt(p.topic), FormatTime(clock_.Now()), id});
  if (!r) return Err(r.error());
  if (r->rows.empty()) return Err(Status::NotFound("no such paper"));
  return FromRow(r->rows[0]);
}

Status PaperLibrary::Remove(const std::string& id) {
  if (!IsUuid(id)) return Status::NotFound("no such paper");
  auto r = db_.Execute("DELETE FROM papers WHERE id = $1", {id});
  if (!r) return r.error();
  if (r->affected_rows == 0) return Status::NotFound("no such paper");
  return Status::Ok();
}

}  // namespace cleanai
