// SPDX-License-Identifier: AGPL-3.0-or-later
#include <boost/json.hpp>
#include <string>

#include "core/text.h"
#include "open311/open311.h"

namespace cleanai {
namespace {

// The element name of one item of an array element called `name`.
std::string ItemName(const std::string& name) {
  if (name == "services") return "service";
  if (name == "service_requests") return "request";
  if (name == "endpoints") return "endpoint";
  if (name == "formats") return "format";
  if (name == "attributes") return "attribute";
  if (name == "values") return "value";
  if (name == "errors") return "error";
  if (name == "keywords") return "keyword";
  if (name == "service_request_updates") return "request_update";
  return "item";
}

void Write(const std::string& name, const boost::json::value& v, std::string& out) {
  if (v.is_object()) {
    out += "<" + name + ">";
    for (const auto& kv : v.as_object()) Write(std::string(kv.key()), kv.value(), out);
    out += "</" + name + ">";
  } else if (v.is_array()) {
    out += "<" + name + ">";
    for (const auto& item : v.as_array()) Write(ItemName(name), item, out);
    out += "</" + name + ">";
  } else if (v.is_null()) {
    out += "<" + name + "/>";
  } else if (v.is_string()) {
    out += "<" + name + ">" + EscapeMarkup(std::string(v.as_string())) + "</" + name + ">";
  } else if (v.is_bool()) {
    out += "<" + name + ">" + (v.as_bool() ? "true" : "false") + "</" + name + ">";
  } else {
    out += "<" + name + ">" + boost::json::serialize(v) + "</" + name + ">";
  }
}

}  // namespace

std::string Open311Xml(const std::string& root, const boost::json::value& v) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
  Write(root, v, out);
  return out;
}

}  // namespace cleanai
