// SPDX-License-Identifier: AGPL-3.0-or-later
// RFC 9457 problem details. The one place where a Status becomes an HTTP status.
#pragma once

#include <string>

#include "core/status.h"
#include "http/message.h"

namespace cleanai {

// The HTTP status for a Status code (InvalidArgument -> 400, NotFound -> 404, …).
int HttpStatusFor(const Status& status);

// An application/problem+json response for `status`: type, title, status, detail, the
// per-field `errors` array, and Retry-After for rate limiting. Internal errors carry a
// generic detail only; the real cause is in the log under the same request id.
HttpResponse ProblemResponse(const Status& status, const std::string& request_id = "");

// A problem with an explicit HTTP status (405, 413, 431…).
HttpResponse ProblemResponse(int http_status, const std::string& title, const std::string& detail,
                             const std::string& request_id = "");

}  // namespace cleanai
