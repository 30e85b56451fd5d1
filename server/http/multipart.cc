// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/multipart.h"

#include <fstream>
#include <set>
#include <sstream>

namespace cleanai {
namespace {

constexpr size_t kMaxParts = 32;
constexpr size_t kMaxPartHeaderBytes = 8 * 1024;

Status Bad(const std::string& why) {
  return Status::InvalidArgument("malformed multipart body: " + why);
}

// The value of parameter `key` in a header like `form-data; name="photo"; filename="a.jpg"`.
std::string Param(const std::string& header, const std::string& key) {
  size_t pos = 0;
  while ((pos = header.find(key + "=", pos)) != std::string::npos) {
    bool boundary_ok = pos == 0 || header[pos - 1] == ' ' || header[pos - 1] == ';';
    size_t start = pos + key.size() + 1;
    if (!boundary_ok) {
      pos = start;
      continue;
    }
    if (start < header.size() && header[start] == '"') {
      std::string out;
      for (size_t i = start + 1; i < header.size(); ++i) {
        if (header[i] == '\\' && i + 1 < header.size()) {
          out.push_back(header[++i]);
        } else if (header[i] == '"') {
          return out;
        } else {
          out.push_back(header[i]);
        }
      }
      return out;
    }
    size_t end = header.find(';', start);
    std::string v =
        header.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!v.empty() && v.back() == ' ') v.pop_back();
    return v;
  }
  return "";
}

std::string LowerAscii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Result<MultipartForm> MultipartForm::ParseFile(const std::string& path,
                                               const std::string& content_type) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Err(Status::Internal("cannot read upload"));
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), content_type);
}

Result<MultipartForm> MultipartForm::Parse(std::string body, const std::string& content_type) {
  if (LowerAscii(content_type).rfind("multipart/form-data", 0) != 0) {
    return Err(Status::InvalidArgument("Content-Type must be multipart/form-data"));
  }
  std::string boundary = Param(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 70) return Err(Bad("missing or invalid boundary"));

  MultipartForm form;
  form.body_ = std::make_unique<std::string>(std::move(body));
  std::string_view b(*form.body_);
  const std::string delim = "--" + boundary;

  size_t pos = b.find(delim);
  if (pos == std::string_view::npos) return Err(Bad("no parts"));
  std::set<std::string> seen;
  for (;;) {
    pos += delim.size();
    if (b.substr(pos, 2) == "--") break;  // closing delimiter
    if (b.substr(pos, 2) != "\r\n") return Err(Bad("delimiter not followed by CRLF"));
    pos += 2;
    size_t headers_end = b.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos || headers_end - pos > kMaxPartHeaderBytes) {
      return Err(Bad("part headers missing or too long"));
    }
    MultipartPart part;
    std::string_view headers = b.substr(pos, headers_end - pos);
    size_t line_start = 0;
    while (line_start <= headers.size()) {
      size_t eol = headers.find("\r\n", line_start);
      std::string line(headers.substr(
          line_start, eol == std::string_view::npos ? std::string_view::npos : eol - line_start));
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = LowerAscii(line.substr(0, colon));
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        if (name == "content-disposition") {
          if (LowerAscii(value).rfind("form-data", 0) != 0) return Err(Bad("not form-data"));
          part.name = Param(value, "name");
          part.filename = Param(value, "filename");
        } else if (name == "content-type") {
          part.content_type = value;
        }
      }
      if (eol == std::string_view::npos) break;
      line_start = eol + 2;
    }
    if (part.name.empty() || part.name.size() > 100) return Err(Bad("part without a valid name"));
    if (!seen.insert(part.name).second) {
      return Err(Status::InvalidArgument("field sent twice", {{part.name, "is repeated"}}));
    }
    size_t data_start = headers_end + 4;
    size_t next = b.find("\r\n" + delim, data_start);
    if (next == std::string_view::npos) return Err(Bad("part not terminated"));
    part.data = b.substr(data_start, next - data_start);
    form.parts_.push_back(std::move(part));
    if (form.parts_.size() > kMaxParts) return Err(Bad("too many parts"));
    pos = next + 2;
  }
  return form;
}

std::optional<std::string> MultipartForm::Field(const std::string& name) const {
  for (const auto& p : parts_) {
    if (p.name == name && p.filename.empty()) return std::string(p.data);
  }
  return std::nullopt;
}

const MultipartPart* MultipartForm::File(const std::string& name) const {
  for (const auto& p : parts_) {
    if (p.name == name && !p.filename.empty()) return &p;
  }
  return nullptr;
}

}  // namespace cleanai
