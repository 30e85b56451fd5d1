// Research papers on waste detection and management: stored in the database, listed
// publicly with search and a topic filter, edited by admins.
#pragma once

#include "core/clock.h"
#include "http/router.h"
#include "storage/database.h"

namespace cleanai {

// GET /api/papers (public), POST /api/papers, PUT/DELETE /api/papers/:id (admin).
void RegisterPaperRoutes(Router& router, Database& db, const Clock& clock);

}  // namespace cleanai
