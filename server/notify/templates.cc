// SPDX-License-Identifier: AGPL-3.0-or-later
#include "notify/templates.h"

namespace cleanai {
namespace {

struct Template {
  const char* name;
  NotificationText en, ur;
};

// Urdu: plain, polite, short enough for an SMS in Urdu script (70 characters a part).
const std::vector<Template>& Templates() {
  static const std::vector<Template> kTemplates = {
      {"report.received",
       {"Report received",
        "Thank you. Your {type} report at {address} was received and will be reviewed by the "
        "city."},
       {"رپورٹ موصول ہو گئی",
        "شکریہ۔ {address} پر {type} کی آپ کی رپورٹ موصول ہو گئی ہے، شہری انتظامیہ اس کا جائزہ لے "
        "گی۔"}},
      {"report.acknowledged",
       {"Report acknowledged", "The city has reviewed your report and will act on it."},
       {"رپورٹ تسلیم کر لی گئی",
        "شہری انتظامیہ نے آپ کی رپورٹ کا جائزہ لے لیا ہے اور اس پر کارروائی کرے گی۔"}},
      {"report.dispatched",
       {"Truck {vehicle} dispatched",
        "Truck {vehicle} is on its way to the waste you reported at {address}."},
       {"ٹرک {vehicle} روانہ",
        "ٹرک {vehicle} آپ کی بتائی ہوئی جگہ {address} کی طرف روانہ ہو چکا ہے۔"}},
      {"report.in_progress",
       {"Cleanup started", "A crew has started cleaning up the place you reported."},
       {"صفائی شروع ہو گئی", "عملے نے آپ کی بتائی ہوئی جگہ کی صفائی شروع کر دی ہے۔"}},
      {"report.resolved",
       {"Report resolved", "The waste you reported has been cleaned up."},
       {"صفائی مکمل", "آپ کا بتایا ہوا کچرا صاف کر دیا گیا ہے۔"}},
      {"report.resolved.photo",
       {"Report resolved",
        "The waste you reported has been cleaned up. See the after photo: {photo}"},
       {"صفائی مکمل", "آپ کا بتایا ہوا کچرا صاف کر دیا گیا ہے۔ صفائی کے بعد کی تصویر: {photo}"}},
      {"report.rejected",
       {"Report rejected", "Your report was rejected: {reason}"},
       {"رپورٹ مسترد", "آپ کی رپورٹ مسترد کر دی گئی: {reason}"}},
      {"report.duplicate",
       {"Report merged",
        "Your report was merged into an earlier report of the same place; you will be told about "
        "its progress."},
       {"رپورٹ ضم کر دی گئی",
        "آپ کی رپورٹ اسی جگہ کی ایک پہلی رپورٹ میں ضم کر دی گئی ہے؛ آپ کو اس کی پیش رفت سے آگاہ "
        "کیا جائے گا۔"}},
      {"area.new_report",
       {"New report in {area}",
        "{type} waste was reported at {address}. See it: {link} — Stop alerts for this area: "
        "{stop}"},
       {"{area} میں نئی رپورٹ",
        "{address} پر {type} کی اطلاع دی گئی ہے۔ دیکھیں: {link} — اس علاقے کی اطلاعات بند کریں: "
        "{stop}"}},
      {"assignment.new",
       {"New assignment", "Collect {type} waste at {address} (priority {priority})."},
       {"نیا کام", "{address} سے {type} اٹھائیں (ترجیح: {priority})۔"}},
      {"route.changed",
       {"Your route changed", "New stops for {vehicle}: {count}. Open CleanAI for the order."},
       {"آپ کا روٹ بدل گیا", "{vehicle} کے نئے اسٹاپ: {count}۔ ترتیب کے لیے CleanAI کھولیں۔"}},
      {"report.high_priority",
       {"New {priority}-priority report", "{type} waste reported at {address}."},
       {"نئی رپورٹ: ترجیح {priority}", "{address} پر {type} کی اطلاع۔"}},
      {"report.high_priority.drain",
       {"New {priority}-priority report", "{type} waste reported at {address} (blocking a drain)."},
       {"نئی رپورٹ: ترجیح {priority}", "{address} پر {type} کی اطلاع (نالہ بند ہو رہا ہے)۔"}},
  };
  return kTemplates;
}

std::string Fill(const std::string& text, bool urdu, const TemplateParams& params) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    size_t open = text.find('{', i);
    size_t close = open == std::string::npos ? std::string::npos : text.find('}', open);
    if (close == std::string::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, open - i);
    auto it = params.find(text.substr(open + 1, close - open - 1));
    if (it != params.end()) out += urdu ? it->second.ur : it->second.en;
    i = close + 1;
  }
  return out;
}

}  // namespace

const std::vector<std::string>& NotificationLanguages() {
  static const std::vector<std::string> kLanguages = {"en", "ur"};
  return kLanguages;
}

std::optional<NotificationText> RenderNotification(const std::string& name,
                                                   const std::string& language,
                                                   const TemplateParams& params) {
  for (const auto& t : Templates()) {
    if (name != t.name) continue;
    const bool urdu = language == "ur";
    const NotificationText& text = urdu ? t.ur : t.en;
    return NotificationText{Fill(text.title, urdu, params), Fill(text.body, urdu, params)};
  }
  return std::nullopt;
}

Words PriorityWords(const std::string& priority) {
  if (priority == "low") return {"low", "کم"};
  if (priority == "medium") return {"medium", "درمیانی"};
  if (priority == "high") return {"high", "زیادہ"};
  if (priority == "urgent") return {"urgent", "فوری"};
  return Same(priority);
}

}  // namespace cleanai
