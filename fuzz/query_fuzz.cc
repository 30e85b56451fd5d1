// SPDX-License-Identifier: AGPL-3.0-or-later
// Query-string parsers: parameters, percent-decoding, bounding boxes, numbers, dates and
// cursors (UUIDs), as the list, map and analytics routes read them; and Open311's
// form-encoded POST bodies, which are read the same way (open311/routes.cc FormFields).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/crypto.h"
#include "http/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  cleanai::HttpRequest req;
  req.query = text;
  for (const char* name : {"bbox", "limit", "cursor", "from", "to", "lat", "q", "api_key",
                           "service_code", "attribute[size]", "start_date"}) {
    auto v = req.QueryParam(name);
    if (!v) continue;
    (void)cleanai::ParseBoundingBox(*v);
    int n = 0;
    (void)cleanai::ParseBoundedInt(*v, 1, 500, &n);
    double d = 0;
    (void)cleanai::ParseFiniteDouble(*v, &d);
    cleanai::SystemTime t;
    if (cleanai::ParseTime(*v, &t)) (void)cleanai::FormatTime(t);
    (void)cleanai::IsUuid(*v);
  }
  std::string decoded;
  (void)cleanai::PercentDecode(text, true, &decoded);
  (void)cleanai::PercentDecode(text, false, &decoded);
  (void)cleanai::ParseBoundingBox(text);
  (void)cleanai::OriginOf(text);
  return 0;
}
