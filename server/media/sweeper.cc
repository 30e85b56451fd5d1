// SPDX-License-Identifier: AGPL-3.0-or-later
#include "media/sweeper.h"

#include <chrono>
#include <ctime>
#include <set>
#include <vector>

#include "core/log.h"

namespace cleanai {
namespace {

// Photos are looked up in batches of this many keys (one parameter each).
constexpr size_t kBatch = 400;

}  // namespace

Result<std::vector<std::string>> MediaSweeper::Referenced(const std::vector<std::string>& keys) {
  std::string list;
  std::vector<Value> params;
  for (size_t i = 0; i < keys.size(); ++i) {
    list += (i ? ", $" : "$") + std::to_string(i + 1);
    params.emplace_back(keys[i]);
  }
  // Every column that names a stored photo.
  auto r = db_.Execute(
      "SELECT image_key AS k FROM reports WHERE image_key IN (" + list +
          ") UNION "
          "SELECT thumbnail_key FROM reports WHERE thumbnail_key IN (" +
          list +
          ") UNION "
          "SELECT verification_image_key FROM reports WHERE verification_image_key IN (" +
          list +
          ") UNION "
          // The AI's registered models are kept in the same store.
          "SELECT sha256 FROM ai_models WHERE sha256 IN (" +
          list + ")",
      params);
  if (!r) return Err(r.error());
  std::vector<std::string> out;
  for (const Row& row : r->rows) out.push_back(row.Text("k"));
  return out;
}

Result<int> MediaSweeper::SweepOnce() {
  const int64_t cutoff =
      static_cast<int64_t>(std::time(nullptr)) - config_.media_orphan_grace_seconds;
  ObjectStore& objects = store_.objects();
  int removed = objects.RemoveUnfinished(cutoff);
  // Listed first, looked up in batches: a listing can be long (a city's photos).
  std::vector<std::string> old;
  CLEANAI_RETURN_IF_ERROR(objects.List([&](const std::string& key, int64_t modified) {
    if (modified < cutoff) old.push_back(key);
  }));
  for (size_t at = 0; at < old.size(); at += kBatch) {
    std::vector<std::string> batch(
        old.begin() + static_cast<long>(at),
        old.begin() + static_cast<long>(std::min(old.size(), at + kBatch)));
    auto used = Referenced(batch);
    if (!used) return Err(used.error());
    std::set<std::string> keep(used->begin(), used->end());
    for (const std::string& key : batch) {
      if (keep.count(key)) continue;
      // Asked again just before removal: a request may have stored it meanwhile.
      auto now = objects.Stat(key);
      if (!now || !now->has_value() || **now >= cutoff) continue;
      if (objects.Remove(key).ok()) ++removed;
    }
  }
  if (removed > 0) {
    LogInfo("media sweeper removed unreferenced photos",
            {{"count", removed}, {"store", objects.Describe()}});
  }
  return removed;
}

void MediaSweeper::Start(const Leadership& leader) {
  loop_.Start(std::chrono::seconds(config_.media_sweep_interval_seconds), [this, &leader] {
    if (!leader.IsLeader()) return;
    if (auto n = SweepOnce(); !n) LogWarn("media sweep failed", {{"error", n.error().message()}});
  });
}

void MediaSweeper::Stop() { loop_.Stop(); }

}  // namespace cleanai
