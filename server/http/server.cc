// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/server.h"

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <span>
#include <thread>

#include "core/crypto.h"
#include "core/log.h"
#include "http/problem.h"
#include "http/request_head.h"

namespace cleanai {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

namespace {

// Upload bodies of requests that were in flight when an earlier process died (kill -9,
// power loss) are never finished: remove them before serving. The directory belongs to
// this instance's data_dir alone (instances never share one), so nothing live is lost.
void RemoveStaleUploads(const std::string& dir) {
  std::error_code ec;
  size_t removed = 0;
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (it->path().filename().string().rfind("upload-", 0) != 0) continue;
    std::error_code rm;
    if (std::filesystem::remove(it->path(), rm)) ++removed;
  }
  if (removed > 0) LogInfo("removed unfinished uploads", {{"count", removed}});
}

// What the shutdown sweep needs to know about one connection.
struct SessionState {
  std::atomic<bool> idle{true};
  asio::any_io_executor strand;  // the connection's context: one thread, an implicit strand
  // Touched only on `strand`: the connection's stream is alive while `close` is set.
  std::function<void()> close;
};

// Clears SessionState::close before the stream it refers to is destroyed.
struct CloseGuard {
  SessionState& s;
  ~CloseGuard() { s.close = nullptr; }
};

// Deletes an upload's temporary file when the request is done, whatever happened.
struct UploadFileGuard {
  std::string path;
  ~UploadFileGuard() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

// Asks the connection to close its socket, on its own strand, if it still exists.
void RequestClose(const std::shared_ptr<SessionState>& s) {
  asio::post(s->strand, [s] {
    if (s->close) s->close();
  });
}

}  // namespace

struct HttpServer::Impl {
  Config cfg;
  Pipeline pipeline;
  Metrics* metrics;
  UploadPredicate is_upload;
  QuickPredicate is_quick;
  std::string upload_dir;
  // One io_context per I/O thread, each run by its own thread, connections dealt to them
  // in turn: a connection's work never moves between I/O threads, so no thread wakes
  // another for it (one shared context made every readiness event a cross-thread wake-up).
  // `ioc` also holds the acceptor, the signals and the shutdown sweep.
  asio::io_context ioc;
  std::vector<std::unique_ptr<asio::io_context>> more_ioc;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  size_t next_context = 0;  // touched only by Listen, on ioc
  asio::thread_pool workers;
  tcp::acceptor acceptor{ioc};
  std::optional<asio::ssl::context> ssl;
  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mu;
  std::list<std::shared_ptr<SessionState>> sessions;

  Impl(const Config& c, Pipeline p, Metrics* m, UploadPredicate u, QuickPredicate q)
      : cfg(c),
        pipeline(std::move(p)),
        metrics(m),
        is_upload(std::move(u)),
        is_quick(std::move(q)),
        upload_dir(c.data_dir + "/tmp"),
        ioc(1),
        workers(c.worker_threads) {
    for (int i = 1; i < c.io_threads; ++i) {
      more_ioc.push_back(std::make_unique<asio::io_context>(1));
      keep_running.push_back(asio::make_work_guard(*more_ioc.back()));
    }
  }

  // The context of the next connection.
  asio::io_context& NextContext() {
    const size_t i = next_context++ % (more_ioc.size() + 1);
    return i == 0 ? ioc : *more_ioc[i - 1];
  }

  // Stops every context now (the grace period is over).
  void StopAll() {
    ioc.stop();
    for (auto& c : more_ioc) c->stop();
  }

  // ---- shutdown ----

  void BeginShutdown() {
    if (stopping.exchange(true)) return;
    LogInfo("shutting down", {{"graceSeconds", cfg.shutdown_grace_seconds}});
    asio::post(ioc, [this] {
      beast::error_code ec;
      acceptor.close(ec);
      signals.cancel(ec);
      SweepIdle();
      asio::co_spawn(ioc, WaitForSessions(), asio::detached);
    });
  }

  void SweepIdle() {
    std::lock_guard<std::mutex> lock(sessions_mu);
    for (auto& s : sessions) {
      if (s->idle) RequestClose(s);
    }
  }

  awaitable<void> WaitForSessions() {
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(cfg.shutdown_grace_seconds);
    asio::steady_timer timer(ioc);
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(sessions_mu);
        if (sessions.empty()) break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        LogWarn("shutdown grace period over; closing remaining connections");
        StopAll();
        co_return;
      }
      SweepIdle();  // connections that finished a request since the last sweep
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(kNoThrow);
    }
    LogInfo("all connections closed");
  }

  // ---- accepting ----

  awaitable<void> Listen() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(NextContext(), kNoThrow);
      if (stopping) co_return;
      if (ec) {
        // Out of descriptors and similar: back off instead of spinning.
        LogWarn("accept failed", {{"error", ec.message()}});
        asio::steady_timer t(ioc, std::chrono::milliseconds(50));
        co_await t.async_wait(kNoThrow);
        continue;
      }
      auto ex = socket.get_executor();
      asio::co_spawn(ex, RunConnection(std::move(socket)), asio::detached);
    }
  }

  awaitable<void> RunConnection(tcp::socket socket) {
    beast::error_code ec;
    std::string remote = socket.remote_endpoint(ec).address().to_string();
    auto state = std::make_shared<SessionState>();
    state->strand = socket.get_executor();
    {
      std::lock_guard<std::mutex> lock(sessions_mu);
      sessions.push_back(state);
    }
    try {
      if (ssl) {
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *ssl);
        state->close = [&stream] { beast::get_lowest_layer(stream).cancel(); };
        CloseGuard guard{*state};
        beast::get_lowest_layer(stream).expires_after(
            std::chrono::seconds(cfg.read_timeout_seconds));
        auto [hs_ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kNoThrow);
        if (!hs_ec) {
          co_await Serve(stream, remote, *state);
          beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
          co_await stream.async_shutdown(kNoThrow);
        }
      } else {
        beast::tcp_stream stream(std::move(socket));
        state->close = [&stream] { stream.cancel(); };
        CloseGuard guard{*state};
        co_await Serve(stream, remote, *state);
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      }
    } catch (const std::exception& e) {
      LogError("connection failed", {{"error", e.what()}});
    }
    std::lock_guard<std::mutex> lock(sessions_mu);
    sessions.remove(state);
  }

  // ---- one connection ----

  template <class Stream>
  awaitable<void> Serve(Stream& stream, const std::string& remote, SessionState& state) {
    beast::flat_buffer buffer;
    bool first = true;
    for (;;) {
      state.idle = true;
      if (stopping) co_return;
      // The header is read first; the body's destination and limit depend on the route.
      bhttp::request_parser<bhttp::empty_body> head;
      head.header_limit(static_cast<uint32_t>(cfg.max_header_bytes));
      // Checked against the route's own limit once the head is read (an upload route may
      // allow more than max_upload_bytes).
      head.body_limit(std::numeric_limits<uint64_t>::max());
      HeadRead got = co_await ReadHead(
          stream, buffer, head,
          std::chrono::seconds(first ? cfg.read_timeout_seconds : cfg.idle_timeout_seconds));
      beast::error_code ec = got.ec;
      state.idle = false;
      auto started = std::chrono::steady_clock::now();
      if (got.timed_out) {
        // A client that began a request and stalled is told why it is being closed.
        if (got.partial) {
          co_await WriteProblem(stream, 408, "Request Timeout",
                                "the request head did not arrive in time", remote, started);
        }
        co_return;
      }
      if (got.folded) {
        co_await WriteProblem(stream, 400, "Bad Request",
                              "obsolete line folding in a header (RFC 9112 section 5.2)", remote,
                              started);
        co_return;
      }
      if (ec) {
        if (ec == bhttp::error::body_limit) {
          co_await WriteTooLarge(stream, std::max(cfg.max_json_body_bytes, cfg.max_upload_bytes),
                                 remote, started);
        } else if (ec == bhttp::error::header_limit) {
          co_await WriteProblem(
              stream, 431, "Request Header Fields Too Large",
              "request headers exceed " + std::to_string(cfg.max_header_bytes) + " bytes", remote,
              started);
        } else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
                   ec != asio::error::operation_aborted && ec != asio::error::eof &&
                   ec != asio::error::connection_reset) {
          co_await WriteProblem(stream, 400, "Bad Request", "malformed HTTP request", remote,
                                started);
        }
        co_return;
      }

      HttpRequest req;
      const auto& header = head.get();
      if (Status st = AcceptHead(header, remote, &req); !st.ok()) {
        co_await WriteProblem(stream, 400, "Bad Request", st.message(), remote, started);
        co_return;
      }
      const int64_t upload_limit =
          is_upload ? is_upload(req.method, req.path, req.Header("content-type").value_or("")) : 0;
      const bool upload = upload_limit > 0;
      int64_t limit = upload ? upload_limit : cfg.max_json_body_bytes;
      auto len = head.content_length();
      if (len && *len > static_cast<uint64_t>(limit)) {
        co_await WriteTooLarge(stream, limit, remote, started);
        co_return;
      }
      bool keep_alive = header.keep_alive() && !stopping;
      unsigned version = header.version();
      if (!head.is_done() && beast::iequals(header[bhttp::field::expect], "100-continue")) {
        // The client waits for this before sending a large body (curl: up to a second).
        static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        beast::get_lowest_layer(stream).expires_after(
            std::chrono::seconds(cfg.read_timeout_seconds));
        auto [cec, cn] = co_await asio::async_write(stream, asio::buffer(kContinue), kNoThrow);
        if (cec) co_return;
      }
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(cfg.read_timeout_seconds));
      if (upload) {
        req.body_file = upload_dir + "/upload-" + NewUuidV7();
        bhttp::request_parser<bhttp::file_body> body{std::move(head)};
        body.body_limit(static_cast<uint64_t>(limit));
        beast::error_code fec;
        body.get().body().open(req.body_file.c_str(), beast::file_mode::write_new, fec);
        if (fec) {
          LogError("cannot create upload file", {{"error", fec.message()}});
          bool full = fec == boost::system::errc::no_space_on_device;
          co_await WriteProblem(
              stream, full ? 507 : 503, full ? "Insufficient Storage" : "Service Unavailable",
              full ? "the server's storage is full; nothing was saved" : "cannot store the upload",
              remote, started);
          co_return;
        }
        UploadFileGuard guard{req.body_file};
        bool ok = co_await ReadBody(stream, buffer, body, limit, remote, started);
        body.get().body().close();
        if (!ok) co_return;
        co_await Dispatch(stream, req, keep_alive, version, started);
        if (!keep_alive || stopping) co_return;
      } else {
        bhttp::request_parser<bhttp::string_body> body{std::move(head)};
        body.body_limit(static_cast<uint64_t>(limit));
        if (!co_await ReadBody(stream, buffer, body, limit, remote, started)) co_return;
        req.body = std::move(body.get().body());
        const bool quick =
            is_quick && req.body.empty() && is_quick(req.method, req.path, req.query);
        co_await Dispatch(stream, req, keep_alive, version, started, quick);
        if (!keep_alive || stopping) co_return;
      }
      first = false;
    }
  }

  struct HeadRead {
    beast::error_code ec;
    bool timed_out = false;  // the wait ran out
    bool partial = false;    // ... after some bytes of a head had arrived
    bool folded = false;     // the head uses obsolete line folding
  };

  // Reads a request head into `head`. The wait is bounded by a timer of its own: the
  // stream's timeout would close the socket, and a client that stalled mid-head should get
  // a 408 first. The raw head is looked at before Beast parses it, because Beast joins
  // folded lines silently and RFC 9112 wants them refused.
  template <class Stream, class Parser>
  awaitable<HeadRead> ReadHead(Stream& stream, beast::flat_buffer& buffer, Parser& head,
                               std::chrono::seconds timeout) {
    HeadRead out;
    auto& lowest = beast::get_lowest_layer(stream);
    lowest.expires_never();
    // Both the timer's handler and this coroutine run on the connection's strand; `done`
    // keeps a late handler away from a socket that may be gone.
    struct Watch {
      bool done = false;
      bool fired = false;
    };
    auto watch = std::make_shared<Watch>();
    asio::steady_timer timer(co_await asio::this_coro::executor, timeout);
    timer.async_wait([watch, &lowest](beast::error_code e) {
      if (e || watch->done) return;
      watch->fired = true;
      lowest.socket().cancel(e);
    });
    const size_t limit = static_cast<size_t>(cfg.max_header_bytes);
    for (;;) {
      std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
      if (size_t end = HeadEnd(data); end != std::string_view::npos) {
        out.folded = HasObsFold(data.substr(0, end));
        break;
      }
      if (buffer.size() > limit) break;  // Beast reports header_limit below
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(16 * 1024), kNoThrow);
      buffer.commit(n);
      if (ec) {
        out.ec = ec;
        break;
      }
    }
    if (!out.ec && !out.folded) {
      auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, head, kNoThrow);
      out.ec = ec;
    }
    watch->done = true;
    timer.cancel();
    if (watch->fired) {
      out.timed_out = true;
      out.partial = buffer.size() > 0;
    }
    lowest.expires_after(std::chrono::seconds(cfg.read_timeout_seconds));
    co_return out;
  }

  // Reads the rest of a body; on failure answers (413/400) or just closes (timeouts) and
  // returns false.
  template <class Stream, class Parser>
  awaitable<bool> ReadBody(Stream& stream, beast::flat_buffer& buffer, Parser& parser,
                           int64_t limit, const std::string& remote,
                           std::chrono::steady_clock::time_point started) {
    if (parser.is_done()) co_return true;
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
    if (ec == bhttp::error::body_limit) {
      co_await WriteTooLarge(stream, limit, remote, started);
      co_return false;
    }
    if (ec == boost::system::errc::no_space_on_device) {
      // The upload's temporary file could not be written: say so, keep nothing.
      LogError("upload: the disk is full");
      co_await WriteProblem(stream, 507, "Insufficient Storage",
                            "the server's storage is full; nothing was saved", remote, started);
      co_return false;
    }
    if (ec) {
      if (ec != beast::error::timeout && ec != asio::error::operation_aborted &&
          ec != asio::error::eof && ec != bhttp::error::end_of_stream) {
        co_await WriteProblem(stream, 400, "Bad Request", "malformed HTTP request body", remote,
                              started);
      }
      co_return false;
    }
    co_return true;
  }

  template <class Stream>
  awaitable<void> WriteTooLarge(Stream& stream, int64_t limit, const std::string& remote,
                                std::chrono::steady_clock::time_point started) {
    co_await WriteProblem(stream, 413, "Content Too Large",
                          "request body exceeds " + std::to_string(limit) + " bytes", remote,
                          started);
  }

  // Runs the pipeline on the worker pool (or, for a quick read, right here) and writes its
  // response.
  template <class Stream>
  awaitable<bool> Dispatch(Stream& stream, HttpRequest& req, bool& keep_alive, unsigned version,
                           std::chrono::steady_clock::time_point started, bool quick = false) {
    // Not a conditional expression: GCC 12 destroys a co_await's temporary twice in one.
    HttpResponse resp;
    if (quick) {
      req.on_io_thread = true;
      resp = pipeline(req);
      req.on_io_thread = false;
    }
    if (!quick || resp.deferred) {  // a quick read that needs the database after all
      resp =
          co_await asio::co_spawn(workers.get_executor(), RunPipeline(this, &req), use_awaitable);
    }

    if (resp.event_stream) {
      keep_alive = false;
      co_return co_await StreamEvents(stream, req, resp, started);
    }
    keep_alive = keep_alive && !stopping;
    bool ok = co_await Write(stream, req, resp, keep_alive, version, started);
    if (!ok) keep_alive = false;
    co_return ok;
  }

  // Work handed to the worker pool. Plain functions, not capturing lambdas: a coroutine
  // keeps its parameters in its frame, while a lambda's captures die with the temporary
  // closure that co_spawn was given.
  static awaitable<HttpResponse> RunPipeline(Impl* self, HttpRequest* req) {
    co_return self->pipeline(*req);
  }
  static awaitable<std::string> PollSource(std::shared_ptr<EventStreamSource> source) {
    co_return source->Poll();
  }

  // Serves a Server-Sent Events stream: headers, then whatever the source yields, a
  // heartbeat comment when quiet for 15 s, until the client leaves (a write fails or times
  // out, so a stalled client costs one coroutine, never a thread) or the server stops.
  template <class Stream>
  awaitable<bool> StreamEvents(Stream& stream, HttpRequest& req, HttpResponse& resp,
                               std::chrono::steady_clock::time_point started) {
    std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
        "Cache-Control: no-store\r\nX-Accel-Buffering: no\r\nConnection: close\r\n"
        "X-Request-Id: " +
        req.request_id + "\r\n";
    for (const auto& [name, value] : resp.headers) head += name + ": " + value + "\r\n";
    if (resp.fixed_head) head += *resp.fixed_head;
    head += "\r\nretry: 2000\n\n";
    auto write = [&](const std::string& text) -> awaitable<bool> {
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(15));
      auto [ec, n] = co_await asio::async_write(stream, asio::buffer(text), kNoThrow);
      co_return !ec;
    };
    bool ok = co_await write(head);
    LogInfo("request", {{"requestId", req.request_id},
                        {"method", req.method},
                        {"path", req.path},
                        {"route", resp.route},
                        {"status", 200},
                        {"stream", "opened"},
                        {"remote", req.remote_address}});
    if (metrics) metrics->Record(req.method, resp.route, 200, 0);
    auto strand = co_await asio::this_coro::executor;
    auto timer = std::make_shared<asio::steady_timer>(strand);
    auto last_write = std::chrono::steady_clock::now();
    auto source = resp.event_stream;
    // A source that can wake us (the change feed) is read only when it has something; the
    // wake may come from any thread, so it sets a flag and cancels the timer on this
    // connection's strand. Otherwise, poll four times a second.
    auto woken = std::make_shared<std::atomic<bool>>(true);
    std::weak_ptr<asio::steady_timer> weak_timer = timer;
    bool pushed = source->Subscribe([woken, weak_timer, strand] {
      woken->store(true);
      asio::post(strand, [weak_timer] {
        if (auto t = weak_timer.lock()) t->cancel();
      });
    });
    while (ok && !stopping) {
      auto now = std::chrono::steady_clock::now();
      if (!pushed || woken->exchange(false)) {
        std::string chunk =
            co_await asio::co_spawn(workers.get_executor(), PollSource(source), use_awaitable);
        if (!chunk.empty()) {
          ok = co_await write(chunk);
          last_write = now;
          if (pushed) woken->store(true);  // a full batch may have more behind it
          continue;
        }
      }
      if (now - last_write > std::chrono::seconds(15)) {
        ok = co_await write(": keep-alive\n\n");
        last_write = now;
      }
      if (pushed && woken->load()) continue;
      // Pushed streams sleep up to a second (to notice a shutdown), polled ones 250 ms.
      timer->expires_after(std::chrono::milliseconds(pushed ? 1000 : 250));
      co_await timer->async_wait(kNoThrow);
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    LogInfo("stream closed", {{"requestId", req.request_id}, {"seconds", std::round(secs)}});
    co_return false;
  }

  template <class Stream>
  awaitable<bool> Write(Stream& stream, const HttpRequest& req, HttpResponse& resp, bool keep_alive,
                        unsigned version, std::chrono::steady_clock::time_point started) {
    // The head is written by hand into one string (a Beast message would allocate a node per
    // header and serialize through a buffer-sequence machine), the body is sent as is.
    const int status = resp.status;
    const bool bodiless = status < 200 || status == 204 || status == 304;  // RFC 9110 8.6
    const std::string_view body = resp.Body();
    const size_t body_size = body.size();
    std::string head;
    head.reserve(320 + resp.content_type.size() + (resp.fixed_head ? resp.fixed_head->size() : 0));
    head += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    head += std::to_string(status);
    head.push_back(' ');
    head += bhttp::obsolete_reason(static_cast<bhttp::status>(status));
    head += "\r\n";
    auto add = [&head](std::string_view name, std::string_view value) {
      // A line break in a header would let a value forge headers of its own. (A plain
      // loop: find_first_of calls memchr once per character.)
      for (char c : value) {
        if (c == '\r' || c == '\n') return;
      }
      for (char c : name) {
        if (c == '\r' || c == '\n' || c == ':') return;
      }
      head += name;
      head += ": ";
      head += value;
      head += "\r\n";
    };
    if (!resp.content_type.empty()) add("Content-Type", resp.content_type);
    for (const auto& [name, value] : resp.headers) add(name, value);
    if (resp.fixed_head) head += *resp.fixed_head;  // the application's own, checked once
    add("X-Request-Id", req.request_id);
    if (version == 10 && keep_alive) add("Connection", "keep-alive");
    if (version != 10 && !keep_alive) add("Connection", "close");
    if (!bodiless) add("Content-Length", std::to_string(body_size));
    head += "\r\n";
    std::array<asio::const_buffer, 2> out{asio::buffer(head),
                                          asio::buffer(body.data(), body.size())};
    const bool with_body = !bodiless && req.method != "HEAD" && body_size > 0;
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(cfg.read_timeout_seconds));
    auto [ec, n] = co_await asio::async_write(
        stream, std::span<const asio::const_buffer>(out.data(), with_body ? 2 : 1), kNoThrow);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // The access-log line, formatted straight into text (same fields, same order as before).
    std::string line;
    line.reserve(256 + req.path.size());
    line += "\"requestId\":";
    AppendJsonString(line, req.request_id);
    line += ",\"method\":";
    AppendJsonString(line, req.method);
    line += ",\"path\":";
    AppendJsonString(line, req.path);
    line += ",\"route\":";
    AppendJsonString(line, resp.route);
    line += ",\"status\":" + std::to_string(status);
    char ms[32];
    auto [ms_end, ms_ec] =
        std::to_chars(ms, ms + sizeof ms, secs * 1e3, std::chars_format::fixed, 3);
    line += ",\"durationMs\":";
    line.append(ms, ms_ec == std::errc() ? ms_end : ms);
    line += ",\"bytes\":" + std::to_string(body_size);
    line += ",\"remote\":";
    AppendJsonString(line, req.remote_address);
    if (req.principal) {
      line += ",\"userId\":";
      AppendJsonString(line, req.principal->user_id);
    }
    if (ec) {
      line += ",\"writeError\":";
      AppendJsonString(line, ec.message());
    }
    LogInfoFields("request", line);
    if (metrics)
      metrics->Record(req.method, resp.route.empty() ? "unmatched" : resp.route, status, secs);
    co_return !ec;
  }

  template <class Stream>
  awaitable<void> WriteProblem(Stream& stream, int status, const std::string& title,
                               const std::string& detail, const std::string& remote,
                               std::chrono::steady_clock::time_point started) {
    HttpRequest req;
    req.method = "-";
    req.path = "-";
    req.remote_address = remote;
    req.request_id = NewRequestId();
    HttpResponse resp = ProblemResponse(status, title, detail, req.request_id);
    resp.route = "protocol-error";
    co_await Write(stream, req, resp, false, 11, started);
  }
};

HttpServer::HttpServer(const Config& config, Pipeline pipeline, Metrics* metrics,
                       UploadPredicate is_upload, QuickPredicate is_quick)
    : impl_(std::make_unique<Impl>(config, std::move(pipeline), metrics, std::move(is_upload),
                                   std::move(is_quick))) {}

HttpServer::~HttpServer() { impl_->workers.join(); }

Status HttpServer::Start() {
  Impl& s = *impl_;
  if (s.cfg.tls_enabled()) {
    s.ssl.emplace(asio::ssl::context::tls_server);
    s.ssl->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1);
    beast::error_code ec;
    s.ssl->use_certificate_chain_file(s.cfg.tls_cert_file, ec);
    if (ec) return Status::InvalidArgument("tls.cert_file: cannot load " + s.cfg.tls_cert_file);
    s.ssl->use_private_key_file(s.cfg.tls_key_file, asio::ssl::context::pem, ec);
    if (ec) return Status::InvalidArgument("tls.key_file: cannot load " + s.cfg.tls_key_file);
  }
  std::error_code fs_ec;
  std::filesystem::create_directories(s.upload_dir, fs_ec);
  if (fs_ec) return Status::Unavailable("cannot create " + s.upload_dir + ": " + fs_ec.message());
  RemoveStaleUploads(s.upload_dir);
  beast::error_code ec;
  auto addr = asio::ip::make_address(s.cfg.listen_address, ec);
  if (ec)
    return Status::InvalidArgument("server.listen: not an IP address: " + s.cfg.listen_address);
  tcp::endpoint ep(addr, static_cast<unsigned short>(s.cfg.port));
  s.acceptor.open(ep.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(ep, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + s.cfg.listen_address + ":" +
                               std::to_string(s.cfg.port) + ": " + ec.message());
  }
  LogInfo("listening",
          {{"address", s.cfg.listen_address}, {"port", port()}, {"tls", s.cfg.tls_enabled()}});
  return Status::Ok();
}

int HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::Run() {
  Impl& s = *impl_;
  s.signals.async_wait([this](const beast::error_code& ec, int) {
    if (!ec) Stop();
  });
  asio::co_spawn(s.ioc, s.Listen(), asio::detached);
  std::vector<std::thread> threads;
  for (auto& c : s.more_ioc) threads.emplace_back([c = c.get()] { c->run(); });
  s.ioc.run();  // returns once shut down: nothing left to accept, every connection closed
  s.keep_running.clear();
  for (auto& t : threads) t.join();
  s.workers.join();
  LogInfo("server stopped");
}

void HttpServer::Stop() { impl_->BeginShutdown(); }

}  // namespace cleanai
