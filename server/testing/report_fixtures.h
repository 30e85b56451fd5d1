// SPDX-License-Identifier: AGPL-3.0-or-later
// Helpers for report tests: submitting through multipart, admin and driver sessions.
#pragma once

#include <string>

#include "testing/fixtures.h"
#include "testing/images.h"

namespace cleanai::testing {

inline HttpResult SubmitReport(const TestServer& s, const std::string& token,
                               const std::vector<std::pair<std::string, std::string>>& fields,
                               const std::string& photo, const std::string& filename = "p.jpg",
                               const std::map<std::string, std::string>& extra_headers = {}) {
  std::vector<FilePart> files;
  if (!photo.empty()) files.push_back({"photo", filename, "image/jpeg", photo});
  auto [type, body] = Multipart(fields, files);
  std::map<std::string, std::string> headers{{"Content-Type", type},
                                             {"Authorization", "Bearer " + token}};
  for (const auto& [k, v] : extra_headers) headers[k] = v;
  return s.Request("POST", "/api/reports", body, headers);
}

// A small JPEG, made once per process.
inline const std::string& SmallJpeg() {
  static const std::string jpeg = MakeImage("jpeg", 320, 240);
  return jpeg;
}

inline std::string Str(const boost::json::value& v, const char* key) {
  const auto* p = v.is_object() ? v.as_object().if_contains(key) : nullptr;
  return p && p->is_string() ? std::string(p->as_string()) : "";
}

// The media key (hex content hash) in a report's photo URL field ("/media/<key>.jpg").
inline std::string MediaKeyOf(const boost::json::value& report, const char* field) {
  std::string url = Str(report, field);
  return url.size() < 68 ? "" : url.substr(url.size() - 68, 64);
}

// Submits a report at (lat, lng) and returns its id (fails the test otherwise).
inline std::string FileReport(const TestServer& s, const std::string& token, double lat, double lng,
                              const std::string& type = "plastic") {
  HttpResult r = SubmitReport(
      s, token, {{"wasteType", type}, {"lat", std::to_string(lat)}, {"lng", std::to_string(lng)}},
      SmallJpeg());
  EXPECT_EQ(r.status, 201) << r.body;
  return Str(r.Json(), "id");
}

struct Staff {
  std::string admin;  // admin access token
  Account driver;     // a driver account
  std::string driver_token;
  std::string vehicle_id;  // a vehicle driven by `driver`
  std::string vehicle_number;
};

// An admin session, a new driver and a vehicle for them.
inline Staff MakeStaff(const TestServer& s) {
  Staff st;
  st.admin = s.Login("admin", s.admin_password());
  st.driver = RegisterCitizen(s, "drv");
  HttpResult promote =
      s.Json("PATCH", "/api/users/" + st.driver.id, Serialize({{"role", "driver"}}), st.admin);
  EXPECT_EQ(promote.status, 200) << promote.body;
  st.driver_token = s.Login(st.driver.username, st.driver.password);
  st.vehicle_number = "LHR-" + std::to_string(std::rand() % 100000);
  HttpResult v = s.Json(
      "POST", "/api/fleet",
      Serialize(
          {{"vehicleNumber", st.vehicle_number}, {"driverId", st.driver.id}, {"capacity", 40}}),
      st.admin);
  EXPECT_EQ(v.status, 201) << v.body;
  st.vehicle_id = Str(v.Json(), "id");
  return st;
}

inline std::vector<std::string> NotificationKinds(const TestServer& s, const std::string& token) {
  HttpResult h = s.Json("GET", "/api/notify/history", "", token);
  EXPECT_EQ(h.status, 200) << h.body;
  std::vector<std::string> kinds;
  auto v = h.Json();
  if (!v.is_object()) return kinds;
  for (const auto& item : v.at("items").as_array()) kinds.push_back(Str(item, "kind"));
  return kinds;
}

}  // namespace cleanai::testing
