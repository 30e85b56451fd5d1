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

int64_t EstimatedVolume(const Report& r) {
  int64_t v = r.size == "truck" ? 10 : r.size == "wheelbarrow" ? 3 : r.size == "bag" ? 1 : 2;
  return r.waste_type == "construction" ? 2 * v : v;
}

const std::vector<std::string>& ReportSizes() {
  static const std::vector<std::string> kSizes = {"bag", "wheelbarrow", "truck"};
  return kSizes;
}

}  // namespace cleanai
