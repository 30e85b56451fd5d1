// SPDX-License-Identifier: AGPL-3.0-or-later
// The rules every request head must pass before it is routed, apart from the network, so
// the server, the unit tests and the fuzz target share one implementation: RFC 9112's
// Host and line-folding rules, and the target's conversion into path and query.
#pragma once

#include <boost/beast/http/message.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/message.h"

namespace cleanai {

// Where the raw head ends (just past its "\r\n\r\n"), or npos while it is incomplete.
size_t HeadEnd(std::string_view bytes);

// RFC 9112 §5.2: a header line continued on the next (which begins with a space or a
// tab). `raw_head` is the bytes up to HeadEnd. Beast would join such lines silently.
bool HasObsFold(std::string_view raw_head);

// Checks a parsed head and fills `out`: method, percent-decoded path, raw query,
// lower-case headers (repeats joined with ", "), remote address and request id.
// InvalidArgument with the reason when an HTTP/1.1 request lacks exactly one Host, or
// the target is not an absolute path or decodes to a NUL or a bad escape.
Status AcceptHead(const boost::beast::http::request_header<>& in, const std::string& remote,
                  HttpRequest* out);

// All of the above over bytes holding a whole head (and maybe a body, which is framed and
// read within `body_limit`), through Beast's parser: the fuzz target's and tests' entry.
Result<HttpRequest> ParseRequest(std::string_view bytes, uint32_t header_limit,
                                 uint64_t body_limit);

}  // namespace cleanai
