// SPDX-License-Identifier: AGPL-3.0-or-later
// Conditional GETs for JSON answers (RFC 9110 13.1.2): a strong ETag from the body's
// BLAKE2b-128, and 304 Not Modified with no body when the client already holds it — phones
// on metered data revalidate a list or a report for a few hundred bytes instead of
// downloading it again. `Cache-Control: private, no-cache`: browsers keep the answer but
// ask every time; shared caches never store it. Answers that must not be kept (tokens:
// `no-store`) and streams are left alone.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace cleanai {

// Adds the ETag (unless the handler set one) and answers 304 when If-None-Match names it.
void ApplyConditionalGet(const HttpRequest& req, HttpResponse& resp);

// The strong entity tag of `body`, quotes included.
std::string EntityTag(std::string_view body);
// Whether the request's If-None-Match names `etag` (or is "*").
bool IfNoneMatchNames(const HttpRequest& req, const std::string& etag);

}  // namespace cleanai
