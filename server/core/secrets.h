// SPDX-License-Identifier: AGPL-3.0-or-later
// Secrets the server makes for itself on first start (the JWT signing key, the Web Push
// key), kept in storage.secrets_dir (default data_dir/secrets, 0700) as files only the
// server's user may read. Instances behind one load balancer share that directory's files.
#pragma once

#include <functional>
#include <string>

#include "core/status.h"

namespace cleanai {

// secrets_dir/<name>: written from `make()` when it does not exist (0600, O_EXCL, so
// two processes starting at once agree on one), read back otherwise.
Result<std::string> LoadOrCreateSecretFile(const std::string& secrets_dir, const std::string& name,
                                           const std::function<Result<std::string>()>& make);

// A random secret of `bytes` bytes, base64url, in secrets_dir/<name>.
Result<std::string> LoadOrCreateSecret(const std::string& secrets_dir, const std::string& name,
                                       size_t bytes);

}  // namespace cleanai
