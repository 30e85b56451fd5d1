// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/signing_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/log.h"
#include "core/secrets.h"

namespace cleanai {
namespace {

constexpr const char* kCurrent = "jwt.key";
constexpr const char* kPrevious = "jwt.key.previous";
constexpr int64_t kCheckEveryMs = 2000;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Inode, size and modification time of both files: changes when either is replaced.
std::string Fingerprint(const std::string& dir) {
  std::string out;
  for (const char* name : {kCurrent, kPrevious}) {
    struct stat st {};
    if (::stat((dir + "/" + name).c_str(), &st) == 0) {
      out += std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
             std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + ";";
    } else {
      out += "-;";
    }
  }
  return out;
}

Result<std::string> ReadKey(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || text.str().size() < 32) return Err(Status::Unavailable("cannot read " + path));
  return text.str();
}

// Writes `text` to dir/name through a temporary file and a rename: readers see the old
// file or the new one, never a part.
Status ReplaceFile(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string temp = dir + "/." + name + ".tmp";
  ::unlink(temp.c_str());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Unavailable("cannot write " + temp);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), (dir + "/" + name).c_str()) != 0) {
    ::unlink(temp.c_str());
    return Status::Unavailable("cannot replace " + dir + "/" + name);
  }
  return Status::Ok();
}

}  // namespace

std::string SigningKeyId(const std::string& key) {
  return Sha256Hex("cleanai-kid|" + key).substr(0, 16);
}

Result<std::unique_ptr<SigningKeys>> SigningKeys::Open(const std::string& secrets_dir,
                                                       int grace_seconds, const Clock& clock) {
  auto current = LoadOrCreateSecret(secrets_dir, kCurrent, 32);
  if (!current) return Err(current.error());
  std::unique_ptr<SigningKeys> keys(new SigningKeys(secrets_dir, grace_seconds, clock));
  keys->keys_.store(std::make_shared<const Keys>(Keys{*current, "", {}}));
  keys->Reload();
  return keys;
}

void SigningKeys::Reload() {
  std::lock_guard<std::mutex> lock(reload_mu_);
  std::string now_seen = Fingerprint(dir_);
  if (now_seen == seen_) return;
  auto current = ReadKey(dir_ + "/" + kCurrent);
  if (!current) {
    // Mid-rotation by hand, or a lost mount: keep signing with what we have, and say so.
    LogError("cannot read the JWT key; keeping the one loaded", {{"dir", dir_}});
    return;
  }
  Keys next{*current, "", {}};
  struct stat st {};
  if (::stat((dir_ + "/" + kPrevious).c_str(), &st) == 0) {
    auto previous = ReadKey(dir_ + "/" + kPrevious);
    if (previous && *previous != *current) {
      next.previous = *previous;
      next.previous_until = SystemTime(std::chrono::seconds(st.st_mtim.tv_sec + grace_seconds_));
    }
  }
  const bool changed = keys_.load()->current != next.current;
  keys_.store(std::make_shared<const Keys>(std::move(next)));
  seen_ = now_seen;
  if (changed) LogInfo("JWT signing key reloaded", {{"kid", SigningKeyId(*current)}});
}

std::shared_ptr<const SigningKeys::Keys> SigningKeys::Get() {
  const int64_t now = SteadyMs();
  int64_t due = next_check_ms_.load(std::memory_order_relaxed);
  if (now >= due && next_check_ms_.compare_exchange_strong(due, now + kCheckEveryMs)) Reload();
  auto keys = keys_.load();
  if (!keys->previous.empty() && clock_.Now() >= keys->previous_until) {
    // The grace period is over (tokens signed with it have all expired): dropped once.
    Keys without = *keys;
    without.previous.clear();
    auto stripped = std::make_shared<const Keys>(std::move(without));
    if (keys_.compare_exchange_strong(keys, stripped)) return stripped;
    return keys_.load();
  }
  return keys;
}

Status RotateSigningKey(const std::string& secrets_dir, bool drop_previous) {
  auto current = LoadOrCreateSecret(secrets_dir, kCurrent, 32);
  if (!current) return current.error();
  if (drop_previous) {
    ::unlink((secrets_dir + "/" + kPrevious).c_str());
  } else {
    // A new file (not a link): its time starts the grace period.
    CLEANAI_RETURN_STATUS_IF_ERROR(ReplaceFile(secrets_dir, kPrevious, *current));
  }
  return ReplaceFile(secrets_dir, kCurrent, Base64UrlEncode(RandomBytes(32)));
}

}  // namespace cleanai
