// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/request_head.h"

#include <algorithm>
#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>

#include "core/crypto.h"

namespace cleanai {
namespace {

namespace bhttp = boost::beast::http;

// A client's X-Request-Id is kept only when it is short and plain (it goes into logs).
bool SafeRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

}  // namespace

size_t HeadEnd(std::string_view bytes) {
  size_t at = bytes.find("\r\n\r\n");
  return at == std::string_view::npos ? at : at + 4;
}

bool HasObsFold(std::string_view raw_head) {
  return raw_head.find("\r\n ") != std::string_view::npos ||
         raw_head.find("\r\n\t") != std::string_view::npos;
}

Status AcceptHead(const bhttp::request_header<>& in, const std::string& remote, HttpRequest* out) {
  if (in.version() >= 11 && in.count(bhttp::field::host) != 1) {
    return Status::InvalidArgument("an HTTP/1.1 request needs exactly one Host header");
  }
  out->method = std::string(in.method_string());
  std::string target(in.target());
  if (target.empty() || target[0] != '/')
    return Status::InvalidArgument("malformed request target");
  size_t q = target.find('?');
  if (!PercentDecode(target.substr(0, q), false, &out->path) ||
      out->path.find('\0') != std::string::npos) {
    return Status::InvalidArgument("malformed request target");
  }
  if (q != std::string::npos) out->query = target.substr(q + 1);
  for (const auto& field : in) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    auto [it, inserted] = out->headers.try_emplace(name, std::string(field.value()));
    if (!inserted) it->second += ", " + std::string(field.value());
  }
  out->remote_address = remote;
  auto id = out->Header("x-request-id");
  out->request_id = id && SafeRequestId(*id) ? *id : NewRequestId();
  return Status::Ok();
}

Result<HttpRequest> ParseRequest(std::string_view bytes, uint32_t header_limit,
                                 uint64_t body_limit) {
  size_t end = HeadEnd(bytes);
  if (end == std::string_view::npos) return Err(Status::InvalidArgument("incomplete head"));
  if (HasObsFold(bytes.substr(0, end))) {
    return Err(Status::InvalidArgument("obsolete line folding in a header"));
  }
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(header_limit);
  parser.body_limit(body_limit);
  parser.eager(true);
  boost::beast::error_code ec;
  size_t used = 0;
  while (!parser.is_done()) {
    size_t n =
        used < bytes.size()
            ? parser.put(boost::asio::const_buffer(bytes.data() + used, bytes.size() - used), ec)
            : 0;
    used += n;
    if (ec && ec != bhttp::error::need_more) break;
    if (n == 0 || ec == bhttp::error::need_more) {  // nothing more will come: it ends here
      ec = {};
      parser.put_eof(ec);
      break;
    }
  }
  if (ec) return Err(Status::InvalidArgument("malformed request: " + ec.message()));
  HttpRequest req;
  CLEANAI_RETURN_IF_ERROR(AcceptHead(parser.get().base(), "fuzz", &req));
  req.body = parser.get().body();
  return req;
}

}  // namespace cleanai
