// SPDX-License-Identifier: AGPL-3.0-or-later
// multipart/form-data bodies (report uploads, Open311 posts). The first line of the input
// is the Content-Type header value, the rest the body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t nl = input.find('\n');
  if (nl == std::string::npos) return 0;
  auto form = cleanai::MultipartForm::Parse(input.substr(nl + 1), input.substr(0, nl));
  if (form) {
    for (const auto& part : form->parts()) {
      (void)form->Field(part.name);
      if (const auto* file = form->File(part.name)) (void)file->data.size();
    }
  }
  return 0;
}
