// SPDX-License-Identifier: AGPL-3.0-or-later
// `cleanai backup --to DIR` and `cleanai restore --from DIR`: the database (SQLite's
// online backup API, or pg_dump in the custom format from one exported snapshot), the
// photos that snapshot references, the secrets (JWT and VAPID keys: without them every
// session and push subscription would end), and manifest.json with the size and SHA-256
// of every file, written last. A directory without the manifest is an unfinished backup.
//
// Restore checks the whole backup before it changes anything, refuses a target that
// already holds data unless forced, puts the photos and secrets back, and replaces the
// database last and at once (a file rename; pg_restore in one transaction), so a failure
// never leaves a half-restored database.
#pragma once

#include <cstdint>
#include <string>

#include "core/config.h"
#include "core/status.h"

namespace cleanai {

struct BackupSummary {
  std::string backend;  // "sqlite" or "postgresql"
  int schema_version = 0;
  int64_t reports = 0;
  int64_t photos = 0;
  int64_t missing_photos = 0;  // referenced by a report but absent from the store
  uint64_t bytes = 0;          // everything written
};

// Writes a backup of what `config` names into `dir`, which must not exist or be empty.
// Safe while the server runs and writes.
Result<BackupSummary> TakeBackup(const Config& config, const std::string& dir);

struct RestoreSummary {
  std::string backend;
  int schema_version = 0;
  int64_t reports = 0;
  int64_t photos = 0;
};

// Restores the backup in `dir` into what `config` names. The server must be stopped.
// InvalidArgument: the backup is damaged or incomplete (nothing was changed);
// Conflict: the target holds data and `force` is false (nothing was changed).
Result<RestoreSummary> RestoreBackup(const Config& config, const std::string& dir, bool force);

}  // namespace cleanai
