// SPDX-License-Identifier: AGPL-3.0-or-later
// multipart/form-data (RFC 7578) parsing for upload routes. The body is already on disk
// under the upload limit; this reads it once and splits it into parts without copying.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace cleanai {

struct MultipartPart {
  std::string name;          // form field name
  std::string filename;      // empty for plain fields
  std::string content_type;  // as sent; never trusted for files
  std::string_view data;     // points into the owning MultipartForm
};

class MultipartForm {
 public:
  // Parses `body` sent with `content_type` (which carries the boundary). Returns
  // InvalidArgument for a missing boundary, a malformed part, more than 32 parts, or a
  // field repeated.
  static Result<MultipartForm> Parse(std::string body, const std::string& content_type);
  // Reads the body from `path` first.
  static Result<MultipartForm> ParseFile(const std::string& path, const std::string& content_type);

  MultipartForm(MultipartForm&&) = default;
  MultipartForm& operator=(MultipartForm&&) = default;

  // The text value of plain field `name`, or nullopt.
  std::optional<std::string> Field(const std::string& name) const;
  // The file part `name`, or nullptr.
  const MultipartPart* File(const std::string& name) const;
  const std::vector<MultipartPart>& parts() const { return parts_; }

 private:
  MultipartForm() = default;
  std::unique_ptr<std::string> body_;  // stable address: parts point into it
  std::vector<MultipartPart> parts_;
};

}  // namespace cleanai
