// SPDX-License-Identifier: AGPL-3.0-or-later
// The fixed list of waste types (the service codes of Open311 too), report sizes, and
// the names of statuses and priorities.
#include <cmath>

#include "reports/reports.h"

namespace cleanai {

const std::vector<WasteType>& WasteTypes() {
  static const std::vector<WasteType> kTypes = {
      {"plastic", "Plastic", "پلاسٹک", Priority::kMedium, "Bottles, bags, wrappers, packaging"},
      {"organic", "Organic", "نامیاتی", Priority::kMedium, "Food and garden waste"},
      {"paper", "Paper & cardboard", "کاغذ", Priority::kLow, "Paper, cardboard, cartons"},
      {"glass", "Glass", "شیشہ", Priority::kMedium, "Bottles and broken glass"},
      {"metal", "Metal", "دھات", Priority::kLow, "Cans, scrap metal"},
      {"e-waste", "Electronic waste", "الیکٹرانک فضلہ", Priority::kMedium,
       "Phones, batteries, appliances, cables"},
      {"hazardous", "Hazardous", "خطرناک", Priority::kHigh,
       "Chemicals, oil, paint, asbestos, burning waste"},
      {"construction", "Construction debris", "تعمیراتی ملبہ", Priority::kMedium,
       "Rubble, bricks, sand"},
      {"medical", "Medical", "طبی فضلہ", Priority::kHigh, "Syringes, dressings, medicines"},
      {"mixed", "Mixed", "ملا جلا", Priority::kMedium, "A heap of several kinds"},
      {"other", "Other", "دیگر", Priority::kLow, "Anything else"},
  };
  return kTypes;
}

const std::vector<std::string>& WasteTypeCodes() {
  static const std::vector<std::string> kCodes = [] {
    std::vector<std::string> codes;
    for (const auto& t : WasteTypes()) codes.push_back(t.code);
    return codes;
  }();
  return kCodes;
}

std::string_view StatusName(ReportStatus s) {
  switch (s) {
    case ReportStatus::kSubmitted:
      return "submitted";
    case ReportStatus::kAcknowledged:
      return "acknowledged";
    case ReportStatus::kDispatched:
      return "dispatched";
    case ReportStatus::kInProgress:
      return "in_progress";
    case ReportStatus::kResolved:
      return "resolved";
    case ReportStatus::kRejected:
      return "rejected";
    case ReportStatus::kDuplicate:
      return "duplicate";
  }
  return "submitted";
}

std::optional<ReportStatus> ParseStatus(std::string_view name) {
  for (ReportStatus s :
       {ReportStatus::kSubmitted, ReportStatus::kAcknowledged, ReportStatus::kDispatched,
        ReportStatus::kInProgress, ReportStatus::kResolved, ReportStatus::kRejected,
        ReportStatus::kDuplicate}) {
    if (StatusName(s) == name) return s;
  }
  return std::nullopt;
}

bool IsOpen(ReportStatus s) {
  return s == ReportStatus::kSubmitted || s == ReportStatus::kAcknowledged ||
         s == ReportStatus::kDispatched || s == ReportStatus::kInProgress;
}

std::string_view PriorityName(Priority p) {
  switch (p) {
    case Priority::kLow:
      return "low";
    case Priority::kMedium:
      return "medium";
    case Priority::kHigh:
      return "high";
    case Priority::kUrgent:
      return "urgent";
  }
  return "medium";
}

std::optional<Priority> ParsePriority(std::string_view name) {
  for (Priority p : {Priority::kLow, Priority::kMedium, Priority::kHigh, Priority::kUrgent}) {
    if (PriorityName(p) == name) return p;
  }
  return std::nullopt;
}

Priority Raised(Priority p) {
  return p == Priority::kLow      ? Priority::kMedium
         : p == Priority::kMedium ? Priority::kHigh
                                  : Priority::kUrgent;
}

const WasteType* FindWasteType(const std::string& code) {
  for (const auto& t : WasteTypes()) {
    if (t.code == code) return &t;
  }
  return nullptr;
}

int64_t EstimatedVolume(const Report& r) {
  int64_t v = r.size == "truck" ? 10 : r.size == "wheelbarrow" ? 3 : r.size == "bag" ? 1 : 2;
  return r.waste_type == "construction" ? 2 * v : v;
}

const std::vector<std::string>& ReportSizes() {
  static const std::vector<std::string> kSizes = {"bag", "wheelbarrow", "truck"};
  return kSizes;
}

}  // namespace cleanai
