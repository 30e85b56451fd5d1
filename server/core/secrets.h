// Secrets the server makes for itself on first start (the JWT signing key, the Web Push
// key), kept in data_dir/secrets (0700) as files only the server's user may read.
#pragma once

#include <functional>
#include <string>

#include "core/status.h"

namespace cleanai {

// data_dir/secrets/<name>: written from `make()` when it does not exist (0600, O_EXCL, so
// two processes starting at once agree on one), read back otherwise.
Result<std::string> LoadOrCreateSecretFile(const std::string& data_dir, const std::string& name,
                                           const std::function<Result<std::string>()>& make);

// A random secret of `bytes` bytes, base64url, in data_dir/secrets/<name>.
Result<std::string> LoadOrCreateSecret(const std::string& data_dir, const std::string& name,
                                       size_t bytes);

}  // namespace cleanai
