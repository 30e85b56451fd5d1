// SPDX-License-Identifier: AGPL-3.0-or-later
// JSON request bodies through JsonInput with the field rules of the register, login,
// report edit and status-change handlers (server/auth/routes.cc, server/reports/routes.cc).
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/json_input.h"

namespace {

cleanai::HttpRequest Body(const std::string& body) {
  cleanai::HttpRequest req;
  req.method = "POST";
  req.path = "/fuzz";
  req.headers["content-type"] = "application/json";
  req.body = body;
  return req;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  cleanai::HttpRequest req = Body(body);
  {  // POST /api/auth/register
    cleanai::JsonInput in(req);
    in.String("username", {.required = true, .max = 50});
    in.String("email", {.required = true, .max = 255});
    in.String("password", {.required = true, .max = 128});
    in.String("phone", {.max = 16});
    (void)in.Finish();
  }
  {  // POST /api/auth/login
    cleanai::JsonInput in(req);
    in.String("username", {.required = true, .min = 1, .max = 255});
    in.String("password", {.required = true, .min = 1, .max = 128});
    (void)in.Finish();
  }
  {  // PATCH /api/reports/:id (edit)
    cleanai::JsonInput in(req);
    in.String("wasteType", {.max = 50});
    in.String("description", {.max = 2000});
    in.String("priority", {.max = 10});
    in.String("size", {.max = 20});
    in.String("address", {.min = 1, .max = 500});
    in.Bool("blocksDrain");
    in.Double("lat", -90, 90);
    in.Double("lng", -180, 180);
    (void)in.IsNull("address");
    (void)in.Finish();
  }
  {  // PATCH /api/reports/:id/status, and a nested field as push subscriptions use
    cleanai::JsonInput in(req);
    in.String("status", {.required = true, .max = 20});
    in.String("reason", {.max = 500});
    in.String("duplicateOf", {.max = 36});
    in.String("note", {.max = 1000});
    in.String("keys.auth", {.max = 64});
    in.Int("capacity", 1, 100000);
    (void)in.Finish();
  }
  (void)cleanai::Utf8Length(body);
  return 0;
}
