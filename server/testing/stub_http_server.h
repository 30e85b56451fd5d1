// SPDX-License-Identifier: AGPL-3.0-or-later
// A local HTTP/1.1 server on 127.0.0.1 standing in for an outside service (a weather
// provider, an SMS gateway, a routing engine) in whole-server tests. Each request is
// recorded and answered by the test's handler; one connection per request.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cleanai::testing {

struct StubRequest {
  std::string method, target, body;
  std::map<std::string, std::string> headers;  // lower-case names
};

struct StubResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  int delay_ms = 0;  // answer late, to test timeouts
};

class StubHttpServer {
 public:
  using Handler = std::function<StubResponse(const StubRequest&)>;
  explicit StubHttpServer(Handler handler);
  ~StubHttpServer();

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<StubRequest> Requests() const;

 private:
  void Serve(int fd);
  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<StubRequest> requests_;
  std::vector<std::thread> workers_;
};

}  // namespace cleanai::testing
