#include "media/sweeper.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <set>

#include "core/log.h"

namespace cleanai {
namespace {

namespace fs = std::filesystem;

// Photos are looked up in batches of this many keys (one parameter each).
constexpr size_t kBatch = 400;

bool OlderThan(const fs::path& p, std::time_t cutoff) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && st.st_mtime < cutoff;
}

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
      "SELECT image_key AS k FROM reports WHERE image_key IN (" + list + ") UNION "
      "SELECT thumbnail_key FROM reports WHERE thumbnail_key IN (" + list + ") UNION "
      "SELECT verification_image_key FROM reports WHERE verification_image_key IN (" + list + ")",
      params);
  if (!r) return Err(r.error());
  std::vector<std::string> out;
  for (const Row& row : r->rows) out.push_back(row.Text("k"));
  return out;
}

Result<int> MediaSweeper::SweepOnce() {
  std::time_t cutoff = std::time(nullptr) - config_.media_orphan_grace_seconds;
  std::error_code ec;
  if (!fs::exists(store_.root(), ec)) return 0;
  int removed = 0;
  std::vector<std::pair<std::string, fs::path>> candidates;
  auto flush = [&]() -> Status {
    if (candidates.empty()) return Status::Ok();
    std::vector<std::string> keys;
    for (const auto& c : candidates) keys.push_back(c.first);
    auto used = Referenced(keys);
    if (!used) return used.error();
    std::set<std::string> keep(used->begin(), used->end());
    for (const auto& [key, path] : candidates) {
      // Checked again just before removal: a request may have stored it meanwhile.
      if (keep.count(key) || !OlderThan(path, cutoff)) continue;
      std::error_code rm;
      if (fs::remove(path, rm)) ++removed;
    }
    candidates.clear();
    return Status::Ok();
  };
  for (auto it = fs::recursive_directory_iterator(store_.root(), ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const fs::path& path = it->path();
    std::string name = path.filename().string();
    if (!OlderThan(path, cutoff)) continue;
    if (name.find(".tmp-") != std::string::npos) {  // a write a killed process never finished
      std::error_code rm;
      if (fs::remove(path, rm)) ++removed;
      continue;
    }
    if (name.size() != 68 || name.substr(64) != ".jpg") continue;  // not ours: leave it
    candidates.emplace_back(name.substr(0, 64), path);
    if (candidates.size() >= kBatch) CLEANAI_RETURN_IF_ERROR(flush());
  }
  if (ec) return Err(Status::Unavailable("cannot list the media folder: " + ec.message()));
  CLEANAI_RETURN_IF_ERROR(flush());
  if (removed > 0) LogInfo("media sweeper removed unreferenced files", {{"count", removed}});
  return removed;
}

void MediaSweeper::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (worker_.joinable()) return;
  stopping_ = false;
  worker_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      lock.unlock();
      if (auto n = SweepOnce(); !n) {
        LogWarn("media sweep failed", {{"error", n.error().message()}});
      }
      lock.lock();
      wake_.wait_for(lock, std::chrono::seconds(config_.media_sweep_interval_seconds),
                     [this] { return stopping_; });
    }
  });
}

void MediaSweeper::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

}  // namespace cleanai
