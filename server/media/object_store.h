// SPDX-License-Identifier: AGPL-3.0-or-later
// Where stored photos live: files under a folder on this machine (the default), or objects
// in an S3-compatible bucket (storage.media_url = "s3://bucket/prefix") that several
// instances share. Keys are content hashes (hex SHA-256 of the stored JPEG): the same key
// always holds the same bytes. Both implementations are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/status.h"

namespace cleanai {

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  // Stores `bytes` under `key`. True when this call created it. An existing object is
  // refreshed (its time set to now), so the sweeper's grace period starts again for a
  // photo a new request is about to reference. A full disk is InsufficientStorage, an
  // unreachable store Unavailable.
  virtual Result<bool> Put(const std::string& key, const std::string& bytes) = 0;
  // NotFound when there is no such object.
  virtual Result<std::string> Get(const std::string& key) const = 0;
  // Last modification (Unix seconds), or nullopt when there is no such object.
  virtual Result<std::optional<int64_t>> Stat(const std::string& key) const = 0;
  virtual Status Remove(const std::string& key) = 0;
  // Every stored key with its last modification.
  virtual Status List(
      const std::function<void(const std::string& key, int64_t modified)>& visit) const = 0;
  // Removes what a killed process left half-written before `cutoff` (Unix seconds);
  // returns how many. (A bucket has none: an S3 PUT is atomic.)
  virtual int RemoveUnfinished(int64_t cutoff) = 0;
  // Start-up check: the store can be used with this configuration.
  virtual Status Check() const = 0;
  // For logs: "local folder var/media", "s3://bucket/prefix at http://…".
  virtual std::string Describe() const = 0;
};

// True for a 64-character lower-case hex key.
bool IsMediaKey(const std::string& key);

// Files under `root`, in two levels of hash-prefix folders (ab/cd/abcd….jpg).
std::unique_ptr<ObjectStore> MakeLocalObjectStore(std::string root);

// The store the configuration names: storage.media_url "s3://…" with the s3 keys, or the
// local folder data_dir/media. InvalidArgument naming the key when the URL is malformed.
Result<std::unique_ptr<ObjectStore>> MakeObjectStore(const Config& config);

}  // namespace cleanai
