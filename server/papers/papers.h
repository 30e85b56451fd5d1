// SPDX-License-Identifier: AGPL-3.0-or-later
// Research papers on waste detection and management: stored in the database, listed
// publicly with search and a topic filter, edited by admins.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "http/router.h"
#include "storage/database.h"

namespace cleanai {

struct Paper {
  std::string id, title, authors, venue, url, topic;
  int64_t year = 0;
  std::optional<std::string> doi;
};

// A new paper (every field but doi given) or the fields an edit changes.
struct PaperFields {
  std::optional<std::string> title, authors, venue, url, doi, topic;
  std::optional<int64_t> year;
};

// detection, datasets, management or policy.
bool IsPaperTopic(const std::string& topic);

class PaperLibrary {
 public:
  PaperLibrary(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // Newest first, at most 200; `query` matches title, authors or venue (any case).
  Result<std::vector<Paper>> List(const std::optional<std::string>& query,
                                  const std::optional<std::string>& topic);
  Result<Paper> Add(const PaperFields& p);
  // NotFound for an unknown id.
  Result<Paper> Update(const std::string& id, const PaperFields& p);
  Status Remove(const std::string& id);

 private:
  Database& db_;
  const Clock& clock_;
};

// GET /api/papers (public), POST /api/papers, PUT/DELETE /api/papers/:id (admin).
void RegisterPaperRoutes(Router& router, PaperLibrary& papers);

}  // namespace cleanai
