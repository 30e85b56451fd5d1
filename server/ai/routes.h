// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "ai/records.h"
#include "ai/service.h"
#include "core/config.h"
#include "http/router.h"
#include "reports/reports.h"

namespace cleanai {

// GET /api/ai/status, POST /api/ai/analyze (upload, rate-limited per user),
// GET /api/ai/reports/:id, POST /api/ai/verify, PUT /api/ai/reports/:id/label (admin),
// GET /api/ai/stats (admin), GET /api/ai/dataset (admin, a YOLO data set as tar).
void RegisterAiRoutes(Router& router, AiService& ai, AiRecords& records, ReportService& reports,
                      const Config& config);

// The model registry (admins): GET /api/ai/models, POST /api/ai/models (a trained model's
// files, multipart), POST /api/ai/models/:version/promote (also the way back to an
// earlier version).
void RegisterModelRoutes(Router& router, AiService& ai, ModelRegistry& models);

}  // namespace cleanai
