// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/secrets.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/log.h"

namespace cleanai {

Result<std::string> LoadOrCreateSecretFile(const std::string& secrets_dir, const std::string& name,
                                           const std::function<Result<std::string>()>& make) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(secrets_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Err(Status::Unavailable("cannot create " + dir.string() + ": " + ec.message()));
  ::chmod(dir.c_str(), 0700);
  fs::path file = dir / name;

  // O_EXCL: if two processes start at once, exactly one writes the secret.
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd >= 0) {
    auto secret = make();
    bool ok = secret &&
              ::write(fd, secret->data(), secret->size()) == static_cast<ssize_t>(secret->size());
    ok = ::fsync(fd) == 0 && ok;
    ::close(fd);
    if (!ok) {
      fs::remove(file, ec);  // no half-written secret for the next start
      return Err(secret ? Status::Unavailable("cannot write " + file.string()) : secret.error());
    }
    LogInfo("generated secret", {{"file", file.string()}});
    return secret;
  }
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in) return Err(Status::Unavailable("cannot read secret " + file.string()));
  return ss.str();
}

Result<std::string> LoadOrCreateSecret(const std::string& secrets_dir, const std::string& name,
                                       size_t bytes) {
  auto secret = LoadOrCreateSecretFile(secrets_dir, name, [bytes]() -> Result<std::string> {
    return Base64UrlEncode(RandomBytes(bytes));
  });
  if (secret && secret->size() < 32) {
    return Err(Status::Unavailable("cannot read secret " + secrets_dir + "/" + name));
  }
  return secret;
}

}  // namespace cleanai
