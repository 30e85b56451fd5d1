// SPDX-License-Identifier: AGPL-3.0-or-later
// Answers kept in memory until the data they were built from changes: the admin's first
// page, nearby reports — the same few requests asked thousands of times a minute by the
// dashboards and phones of a city, between changes that come a few times a minute.
//
// Exact, not "fresh enough": whoever changes the data calls Invalidate() (this process,
// synchronously after its commit, before its own answer is sent; other instances' changes
// through PostgreSQL LISTEN within milliseconds: app/ wires both), which forgets
// everything. An answer built while a change was committed is not kept: Put compares the
// generation read before the query. Nothing is served from memory until SetServing(true)
// and while it is false (LISTEN is down: a change on another instance could go unheard),
// and entries expire after `ttl` (writes made outside any server process, e.g. `cleanai
// demo --reset` on SQLite, are seen within it).
//
// The key must name everything the answer depends on besides the data: the route, the
// query string, and whose view it is. Only answers that are the same for everyone with that
// key may be kept; authorization runs before a lookup.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "http/message.h"

namespace cleanai {

class ResponseCache {
 public:
  static constexpr size_t kMaxEntries = 1024;       // then start again
  static constexpr size_t kMaxBodyBytes = 1 << 20;  // larger answers are not kept
  static constexpr size_t kMaxTotalBytes = 64 << 20;

  explicit ResponseCache(std::chrono::seconds ttl) : ttl_(ttl) {}

  // Whether changes made anywhere are heard now; false forgets everything and bypasses
  // the cache until true again.
  void SetServing(bool serving);

  // The kept answer for `key`, as `req` should get it: with its ETag, and 304 without a
  // body when the request's If-None-Match names it. nullopt: build it.
  std::optional<HttpResponse> Find(const std::string& key, const HttpRequest& req) const;
  // Read before building an answer; Put keeps it only if nothing changed in between.
  uint64_t Generation() const { return generation_.load(); }
  // Keeps a 200 JSON answer (adding its ETag to `resp`, so that it is sent with one).
  void Put(const std::string& key, HttpResponse& resp, uint64_t generation);
  // The data changed: forget everything now.
  void Invalidate();

  uint64_t hits() const { return hits_.load(); }
  uint64_t misses() const { return misses_.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    HttpResponse response;  // with its ETag header; its body is shared_body
    std::string etag;
    Clock::time_point stored;
  };
  const std::chrono::seconds ttl_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const Entry>> entries_;
  size_t total_bytes_ = 0;
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> serving_{false};
  mutable std::atomic<uint64_t> hits_{0}, misses_{0};
};

}  // namespace cleanai
