// SPDX-License-Identifier: AGPL-3.0-or-later
// The HTTP server: Boost.Beast over Asio with C++20 coroutines, one coroutine per
// connection. Transport only: it reads a request under size and time limits, hands it to
// the pipeline on the worker pool (so database work and password hashing never block an
// I/O thread; quick reads excepted), writes the response, logs one JSON line and records metrics.
#pragma once

#include <functional>
#include <memory>

#include "core/config.h"
#include "core/status.h"
#include "http/message.h"
#include "http/metrics.h"

namespace cleanai {

// Turns a request into a response; runs on a worker thread; must not throw.
using Pipeline = std::function<HttpResponse(HttpRequest&)>;

// Decides, from the request line and headers, whether a body is streamed to a file
// (uploads) instead of memory, and its limit: the number of bytes an upload may have, 0
// for a request that is no upload.
using UploadPredicate = std::function<int64_t(const std::string& method, const std::string& path,
                                              const std::string& content_type)>;

// Decides, from a GET or HEAD request's method, path and query, whether its handler is quick
// enough to run on the I/O thread that read it (Router::AddQuickRead), skipping the hand-off
// to the worker pool and back.
using QuickPredicate = std::function<bool(const std::string& method, const std::string& path,
                                          const std::string& query)>;

class HttpServer {
 public:
  HttpServer(const Config& config, Pipeline pipeline, Metrics* metrics,
             UploadPredicate is_upload = nullptr, QuickPredicate is_quick = nullptr);
  ~HttpServer();

  // Binds and listens (and loads the TLS certificate when configured). Returns
  // Unavailable if the address cannot be bound, InvalidArgument for a bad certificate.
  Status Start();

  // The bound port (useful with port 0).
  int port() const;

  // Serves until SIGTERM/SIGINT or Stop(); then stops accepting, lets in-flight requests
  // finish (up to shutdown_grace_seconds), closes idle connections and returns.
  void Run();

  // Starts the graceful shutdown. Thread-safe.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cleanai
