// SPDX-License-Identifier: AGPL-3.0-or-later
// Removes stored photos (local files or bucket objects) that no row references and that
// have not been touched for a grace period: what a crash between storing a photo and
// committing its report (or a failed rollback) leaves behind, and half-written ".tmp-"
// files of a killed process. Storing a photo that already exists refreshes it
// (ObjectStore::Put), so one an in-flight request is about to reference is never old
// enough to be removed. Safe to run on several instances at once (removal is idempotent).
#pragma once

#include "core/config.h"
#include "core/periodic.h"
#include "core/status.h"
#include "media/media.h"
#include "storage/database.h"
#include "storage/leadership.h"

namespace cleanai {

class MediaSweeper {
 public:
  MediaSweeper(Database& db, const MediaStore& store, const Config& config)
      : db_(db), store_(store), config_(config) {}
  ~MediaSweeper() { Stop(); }

  // One pass over the store. Returns how many files were removed.
  Result<int> SweepOnce();

  // Runs SweepOnce every storage.sweep_interval_seconds in a background thread (serve),
  // on the instance that holds `leader` (all instances share the store).
  void Start(const Leadership& leader);
  void Stop();

 private:
  // Of `keys` (hex content hashes), those some row still references.
  Result<std::vector<std::string>> Referenced(const std::vector<std::string>& keys);

  Database& db_;
  const MediaStore& store_;
  const Config& config_;
  PeriodicTask loop_;  // last: stopped before the members it uses go
};

}  // namespace cleanai
