// SPDX-License-Identifier: AGPL-3.0-or-later
// Internal to reports/: the one SELECT of a report and its row mapping.
#pragma once

#include "reports/reports.h"

namespace cleanai {

inline constexpr const char* kSelectReportColumns =
    "SELECT r.id, r.user_id, u.username AS reporter_username, r.image_key, r.thumbnail_key, "
    "r.verification_image_key, r.waste_type, r.ai_detected_type, r.ai_confidence, "
    "r.location_lat, r.location_lng, r.location_address, r.location_city, r.location_country, "
    "r.location_source, r.description, r.status, r.priority, r.size, r.blocks_drain, "
    "r.dispatched_to, r.dispatched_at, r.resolved_at, r.resolved_by, r.rejection_reason, "
    "r.duplicate_of, r.captured_at, r.confirmations, r.deleted_at, r.created_at, r.updated_at, "
    "r.photo_hidden";

inline constexpr const char* kSelectReport =
    "SELECT r.id, r.user_id, u.username AS reporter_username, r.image_key, r.thumbnail_key, "
    "r.verification_image_key, r.waste_type, r.ai_detected_type, r.ai_confidence, "
    "r.location_lat, r.location_lng, r.location_address, r.location_city, r.location_country, "
    "r.location_source, r.description, r.status, r.priority, r.size, r.blocks_drain, "
    "r.dispatched_to, r.dispatched_at, r.resolved_at, r.resolved_by, r.rejection_reason, "
    "r.duplicate_of, r.captured_at, r.confirmations, r.deleted_at, r.created_at, r.updated_at, "
    "r.photo_hidden "
    "FROM reports r LEFT JOIN users u ON u.id = r.user_id";

Report ReportFromRow(const Row& row);

}  // namespace cleanai
