// SPDX-License-Identifier: AGPL-3.0-or-later
// The key access tokens are signed with (secrets_dir/jwt.key) and, for a grace period
// after a rotation, the one before it (secrets_dir/jwt.key.previous), so that tokens
// issued just before `cleanai rotate-jwt-key` keep working until they expire. Every
// instance re-reads the files when they change (checked every two seconds), so one
// rotation in the shared secrets directory reaches all of them without a restart.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "core/status.h"

namespace cleanai {

class SigningKeys {
 public:
  struct Keys {
    std::string current;
    std::string previous;  // empty: none, or its grace period is over
    SystemTime previous_until{};
  };

  // Loads jwt.key, making it on the first start. The previous key is honoured for
  // `grace_seconds` after its file was written (the access-token lifetime).
  static Result<std::unique_ptr<SigningKeys>> Open(const std::string& secrets_dir,
                                                   int grace_seconds, const Clock& clock);

  // The keys now: re-read first if the files changed. Thread-safe, lock-free when the
  // files have not changed.
  std::shared_ptr<const Keys> Get();

 private:
  SigningKeys(std::string dir, int grace_seconds, const Clock& clock)
      : dir_(std::move(dir)), grace_seconds_(grace_seconds), clock_(clock) {}
  void Reload();

  const std::string dir_;
  const int grace_seconds_;
  const Clock& clock_;
  std::atomic<std::shared_ptr<const Keys>> keys_;
  std::atomic<int64_t> next_check_ms_{0};
  std::mutex reload_mu_;
  std::string seen_;  // what the files looked like at the last read (inode, size, time)
};

// `cleanai rotate-jwt-key`: the current key becomes jwt.key.previous (honoured for the
// grace period) and a new jwt.key is made. With `drop_previous` (a leaked key) the old
// key is honoured nowhere: every session must sign in again.
Status RotateSigningKey(const std::string& secrets_dir, bool drop_previous);

// A short, public name for a key (the JWT header's "kid"): its hash, not the key.
std::string SigningKeyId(const std::string& key);

}  // namespace cleanai
