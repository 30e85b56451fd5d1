// SPDX-License-Identifier: AGPL-3.0-or-later
// A Server-Sent Events client for tests: connects, reads in a background thread and
// collects parsed events.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cleanai::testing {

struct SseEvent {
  std::string id, type, data;
};

class EventStreamClient {
 public:
  // Opens GET `target` on 127.0.0.1:`port` with `headers`. status() is the HTTP status
  // (0 if the connection failed); events arrive only for 200.
  EventStreamClient(int port, const std::string& target,
                    const std::map<std::string, std::string>& headers = {});
  ~EventStreamClient();

  int status() const { return status_; }
  std::string raw_head() const { return head_; }
  // Waits up to `timeout_ms` for an event matching `pred`; returns it, or an empty event.
  SseEvent WaitFor(const std::function<bool(const SseEvent&)>& pred, int timeout_ms);
  std::vector<SseEvent> Events() const;
  void Close();

 private:
  void ReadLoop();
  int fd_ = -1;
  int status_ = 0;
  std::string head_;
  std::string buffer_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<SseEvent> events_;
  std::thread reader_;
  bool closed_ = false;
};

}  // namespace cleanai::testing
