#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/app.h"
#include "core/crypto.h"
#include "core/log.h"

namespace cleanai {

Result<std::string> LoadOrCreateSecret(const std::string& data_dir, const std::string& name,
                                       size_t bytes) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(data_dir) / "secrets";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Err(Status::Unavailable("cannot create " + dir.string() + ": " + ec.message()));
  ::chmod(dir.c_str(), 0700);
  fs::path file = dir / name;

  // O_EXCL: if two processes start at once, exactly one writes the secret.
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd >= 0) {
    std::string secret = Base64UrlEncode(RandomBytes(bytes));
    bool ok = ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size());
    ok = ::fsync(fd) == 0 && ok;
    ::close(fd);
    if (!ok) return Err(Status::Unavailable("cannot write " + file.string()));
    LogInfo("generated secret", {{"file", file.string()}});
    return secret;
  }
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string secret = ss.str();
  if (!in || secret.size() < 32) {
    return Err(Status::Unavailable("cannot read secret " + file.string()));
  }
  return secret;
}

}  // namespace cleanai
