// SPDX-License-Identifier: AGPL-3.0-or-later
// Whole-server test harness: starts the real `cleanai serve` binary on a free port with
// a fresh database and data directory, and talks HTTP/1.1 (optionally TLS) to it over
// real sockets. Integration tests use nothing else.
#pragma once

#include <sys/types.h>

#include <boost/json/value.hpp>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cleanai::testing {

struct HttpResult {
  int status = 0;                              // 0: no response (connection closed or timed out)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& name) const;
  // The body parsed as JSON (null when it is not JSON).
  boost::json::value Json() const;
};

struct ServerOptions {
  std::string backend = "sqlite";
  std::map<std::string, std::string> env;  // extra CLEANAI_* settings
  std::vector<std::string> args;           // extra arguments after `serve`
  bool tls = false;                        // make a self-signed certificate and serve HTTPS
};

class TestServer {
 public:
  // Starts the server and waits (up to 20 s) for its "listening" log line. Aborts the
  // test with a fatal failure if it does not come.
  static std::unique_ptr<TestServer> Start(ServerOptions options = {});
  ~TestServer();

  int port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  // The generated admin password printed at first start ("" if none was printed).
  std::string admin_password() const { return PrintedPassword("admin"); }
  // Passwords printed once at first start, by username. The banner arrives on stderr,
  // which may trail the stdout "listening" line, so this waits up to `wait_ms` for it.
  std::string PrintedPassword(const std::string& username, int wait_ms = 3000) const;

  // One request on a new connection. `headers` are sent as given; Host, Content-Length
  // and Connection: close are added.
  HttpResult Request(const std::string& method, const std::string& target,
                     const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {}) const;
  // The same from another loopback address ("127.0.0.9"; "" = 127.0.0.1).
  HttpResult RequestFrom(const std::string& source, const std::string& method,
                         const std::string& target, const std::string& body = "",
                         const std::map<std::string, std::string>& headers = {}) const;
  // Shorthand for JSON requests with an optional bearer token.
  HttpResult Json(const std::string& method, const std::string& target,
                  const std::string& json_body = "", const std::string& bearer = "") const;

  // Sends raw bytes and reads until the server closes or `timeout_ms` passes;
  // `closed_by_server` (if given) tells which of the two ended it.
  std::string RawExchange(const std::string& bytes, int timeout_ms = 5000,
                          bool* closed_by_server = nullptr) const;
  // The same from another loopback address (e.g. "127.0.0.9"; "" = 127.0.0.1).
  std::string RawExchangeFrom(const std::string& source, const std::string& bytes,
                              int timeout_ms = 5000, bool* closed_by_server = nullptr) const;

  // Sends SIGTERM and waits for exit; returns the exit status (or -1).
  int Stop(int timeout_ms = 15000);
  // SIGKILL: no shutdown at all, as in a crash.
  void Kill();
  // The database it was started on (a restart on the same data: put it and data_dir in
  // another server's env as CLEANAI_DATABASE_URL and CLEANAI_STORAGE_DATA_DIR).
  const std::string& database_url() const { return database_url_; }
  bool Running() const;

  // All JSON log lines printed so far.
  std::vector<std::string> LogLines() const;

  // Logs in and returns the access token (fails the test on error).
  std::string Login(const std::string& username, const std::string& password) const;

 private:
  TestServer() = default;
  void ReadStream(int fd, bool is_stdout);

  pid_t pid_ = -1;
  int port_ = 0;
  bool tls_ = false;
  std::string data_dir_;
  std::string database_url_;
  std::map<std::string, std::string> printed_passwords_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool stderr_closed_ = false;
  std::vector<std::string> log_lines_;
  std::thread stdout_reader_, stderr_reader_;
  bool exited_ = false;
};

// Parses a raw HTTP/1.1 response (Content-Length or close-delimited).
HttpResult ParseHttpResponse(const std::string& raw);

// The cleanai binary under test (CLEANAI_BINARY, or beside the test executable).
std::string CleanaiBinary();

// Runs `cmd` through the shell and returns what it printed on stdout.
std::string RunCommand(const std::string& cmd);
// The same with its exit status in *status; stderr comes back too unless `stdout_only`.
std::string RunShell(const std::string& cmd, int* status, bool stdout_only = false);

}  // namespace cleanai::testing
