// SPDX-License-Identifier: AGPL-3.0-or-later
// The request head and body framing: Beast's parser with the server's limits, then the
// project's own rules (Host, obsolete folding, target decoding), exactly as served.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/request_head.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto req = cleanai::ParseRequest(bytes, 16 * 1024, 64 * 1024);
  if (req) {
    (void)req->QueryParam("bbox");
    (void)req->Cookie("cleanai_refresh");
    (void)cleanai::ClientOf(*req);
  }
  return 0;
}
