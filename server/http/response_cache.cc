// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/response_cache.h"

#include <mutex>

#include "http/conditional.h"

namespace cleanai {

void ResponseCache::SetServing(bool serving) {
  if (!serving) Invalidate();
  serving_.store(serving);
}

void ResponseCache::Invalidate() {
  std::unique_lock lock(mu_);
  generation_.fetch_add(1);
  entries_.clear();
  total_bytes_ = 0;
}

std::optional<HttpResponse> ResponseCache::Find(const std::string& key,
                                                const HttpRequest& req) const {
  std::shared_ptr<const Entry> entry;
  if (serving_.load()) {
    std::shared_lock lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) entry = it->second;
  }
  if (!entry || Clock::now() - entry->stored > ttl_) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  if (IfNoneMatchNames(req, entry->etag)) {
    // What the client holds is current: headers only, no copy of the body.
    HttpResponse resp;
    resp.status = 304;
    resp.content_type = entry->response.content_type;
    resp.headers = entry->response.headers;
    return resp;
  }
  return entry->response;  // the body is shared, not copied
}

void ResponseCache::Put(const std::string& key, HttpResponse& resp, uint64_t generation) {
  if (!serving_.load() || resp.status != 200 || resp.event_stream || resp.body.empty() ||
      resp.body.size() > kMaxBodyBytes) {
    return;
  }
  auto entry = std::make_shared<Entry>();
  entry->etag = EntityTag(resp.body);
  resp.SetHeader("ETag", entry->etag);
  bool has_cache_control = false;
  for (const auto& [name, value] : resp.headers) has_cache_control |= name == "Cache-Control";
  if (!has_cache_control) resp.SetHeader("Cache-Control", "private, no-cache");
  // The body is shared from now on: by this answer and every later one from memory.
  resp.shared_body = std::make_shared<const std::string>(std::move(resp.body));
  resp.body.clear();
  entry->response = resp;
  entry->stored = Clock::now();
  std::unique_lock lock(mu_);
  if (generation_.load() != generation) return;  // a change came while it was built
  const size_t size = entry->response.shared_body->size();
  if (entries_.size() >= kMaxEntries || total_bytes_ + size > kMaxTotalBytes) {
    entries_.clear();
    total_bytes_ = 0;
  }
  auto [it, inserted] = entries_.try_emplace(key, entry);
  if (!inserted) {
    total_bytes_ -= it->second->response.shared_body->size();
    it->second = entry;
  }
  total_bytes_ += size;
}

}  // namespace cleanai
