// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/metrics.h"

#include <sstream>

namespace cleanai {

std::string MetricText(const std::string& name, const char* type, const char* help, int64_t value) {
  return "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
         std::to_string(value) + "\n";
}

void Metrics::Record(const std::string& method, const std::string& route, int status,
                     double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{method, route, status}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++bucket_counts_[i];
  }
  ++count_;
  sum_ += seconds;
}

void Metrics::AddCollector(std::function<std::string()> collector) {
  std::lock_guard<std::mutex> lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::Render() const {
  std::ostringstream out;
  std::vector<std::function<std::string()>> collectors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    out << "# HELP cleanai_http_requests_total HTTP requests by method, route and status.\n"
        << "# TYPE cleanai_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      const auto& [method, route, status] = key;
      out << "cleanai_http_requests_total{method=\"" << method << "\",route=\"" << route
          << "\",status=\"" << status << "\"} " << n << "\n";
    }
    out << "# HELP cleanai_http_request_duration_seconds Time from request read to response "
           "written.\n"
        << "# TYPE cleanai_http_request_duration_seconds histogram\n";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out << "cleanai_http_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} "
          << bucket_counts_[i] << "\n";
    }
    out << "cleanai_http_request_duration_seconds_bucket{le=\"+Inf\"} " << count_ << "\n"
        << "cleanai_http_request_duration_seconds_sum " << sum_ << "\n"
        << "cleanai_http_request_duration_seconds_count " << count_ << "\n";
    collectors = collectors_;
  }
  for (const auto& c : collectors) out << c();
  return out.str();
}

}  // namespace cleanai
