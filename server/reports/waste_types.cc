// The fixed list of waste types (the service codes of Open311 too) and report sizes.
#include <cmath>

#include "reports/reports.h"

namespace cleanai {

const std::vector<WasteType>& WasteTypes() {
  static const std::vector<WasteType> kTypes = {
      {"plastic", "Plastic", "پلاسٹک", "medium", "Bottles, bags, wrappers, packaging"},
      {"organic", "Organic", "نامیاتی", "medium", "Food and garden waste"},
      {"paper", "Paper & cardboard", "کاغذ", "low", "Paper, cardboard, cartons"},
      {"glass", "Glass", "شیشہ", "medium", "Bottles and broken glass"},
      {"metal", "Metal", "دھات", "low", "Cans, scrap metal"},
      {"e-waste", "Electronic waste", "الیکٹرانک فضلہ", "medium",
       "Phones, batteries, appliances, cables"},
      {"hazardous", "Hazardous", "خطرناک", "high", "Chemicals, oil, paint, asbestos, burning waste"},
      {"construction", "Construction debris", "تعمیراتی ملبہ", "medium", "Rubble, bricks, sand"},
      {"medical", "Medical", "طبی فضلہ", "high", "Syringes, dressings, medicines"},
      {"mixed", "Mixed", "ملا جلا", "medium", "A heap of several kinds"},
      {"other", "Other", "دیگر", "low", "Anything else"},
  };
  return kTypes;
}

const WasteType* FindWasteType(const std::string& code) {
  for (const auto& t : WasteTypes()) {
    if (t.code == code) return &t;
  }
  return nullptr;
}

const std::vector<std::string>& ReportSizes() {
  static const std::vector<std::string> kSizes = {"bag", "wheelbarrow", "truck"};
  return kSizes;
}

double HaversineMeters(double lat1, double lng1, double lat2, double lng2) {
  constexpr double kEarthRadius = 6371008.8;  // mean radius, metres
  constexpr double kRad = M_PI / 180.0;
  double dlat = (lat2 - lat1) * kRad, dlng = (lng2 - lng1) * kRad;
  double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlng / 2) * std::sin(dlng / 2);
  return 2 * kEarthRadius * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace cleanai
