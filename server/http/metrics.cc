// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/metrics.h"

#include <atomic>
#include <sstream>
#include <string_view>

namespace cleanai {

std::string MetricText(const std::string& name, const char* type, const char* help, int64_t value) {
  return "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
         std::to_string(value) + "\n";
}

namespace {
std::atomic<uint64_t> g_next_metrics_id{1};
}  // namespace

Metrics::Metrics() : id_(g_next_metrics_id.fetch_add(1)) {}
Metrics::~Metrics() = default;

Metrics::Shard& Metrics::ThisThreadsShard() {
  // One shard per thread and Metrics instance; the id, not the address, names the
  // instance (a new one may reuse a dead one's address).
  thread_local uint64_t owner = 0;
  thread_local Shard* shard = nullptr;
  if (owner != id_) {
    auto fresh = std::make_unique<Shard>();
    shard = fresh.get();
    owner = id_;
    std::lock_guard<std::mutex> lock(mu_);
    shards_.push_back(std::move(fresh));
  }
  return *shard;
}

void Metrics::Record(const std::string& method, const std::string& route, int status,
                     double seconds) {
  Shard& s = ThisThreadsShard();
  std::lock_guard<std::mutex> lock(s.mu);
  // Found without building a key (two string copies) for every request.
  auto it =
      s.requests.find(std::tuple<std::string_view, std::string_view, int>(method, route, status));
  if (it == s.requests.end()) it = s.requests.emplace(Key{method, route, status}, 0).first;
  ++it->second;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++s.bucket_counts[i];
  }
  ++s.count;
  s.sum += seconds;
}

void Metrics::AddCollector(std::function<std::string()> collector) {
  std::lock_guard<std::mutex> lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::Render() const {
  // The shards summed: a scrape takes each shard's lock in turn, never all at once.
  std::map<Key, uint64_t> requests;
  std::array<uint64_t, kBuckets.size()> bucket_counts{};
  uint64_t count = 0;
  double sum = 0;
  std::vector<std::function<std::string()>> collectors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& shard : shards_) {
      std::lock_guard<std::mutex> shard_lock(shard->mu);
      for (const auto& [key, n] : shard->requests) requests[key] += n;
      for (size_t i = 0; i < kBuckets.size(); ++i) bucket_counts[i] += shard->bucket_counts[i];
      count += shard->count;
      sum += shard->sum;
    }
    collectors = collectors_;
  }
  std::ostringstream out;
  out << "# HELP cleanai_http_requests_total HTTP requests by method, route and status.\n"
      << "# TYPE cleanai_http_requests_total counter\n";
  for (const auto& [key, n] : requests) {
    const auto& [method, route, status] = key;
    out << "cleanai_http_requests_total{method=\"" << method << "\",route=\"" << route
        << "\",status=\"" << status << "\"} " << n << "\n";
  }
  out << "# HELP cleanai_http_request_duration_seconds Time from request read to response "
         "written.\n"
      << "# TYPE cleanai_http_request_duration_seconds histogram\n";
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    out << "cleanai_http_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} "
        << bucket_counts[i] << "\n";
  }
  out << "cleanai_http_request_duration_seconds_bucket{le=\"+Inf\"} " << count << "\n"
      << "cleanai_http_request_duration_seconds_sum " << sum << "\n"
      << "cleanai_http_request_duration_seconds_count " << count << "\n";
  for (const auto& c : collectors) out << c();
  return out.str();
}

}  // namespace cleanai
