// SPDX-License-Identifier: AGPL-3.0-or-later
#include "storage/change_signal.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/log.h"

namespace cleanai {
namespace {

// The in-process half: an eventfd that Notify and Interrupt write to.
class LocalSignal : public ChangeSignal {
 public:
  LocalSignal() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
  ~LocalSignal() override {
    if (fd_ >= 0) close(fd_);
  }

  bool Wait(std::chrono::milliseconds timeout) override {
    pollfd p{fd_, POLLIN, 0};
    poll(&p, 1, static_cast<int>(timeout.count()));
    return Drain();
  }
  void Notify() override { Write(1); }
  void Interrupt() override {
    interrupted_ = true;
    Write(1);
  }
  bool Listening() const override { return true; }

 protected:
  // True when Notify was called since the last drain (an Interrupt alone is not a change).
  bool Drain() {
    uint64_t n = 0;
    bool any = read(fd_, &n, sizeof n) == sizeof n && n > 0;
    return any && !interrupted_;
  }
  void Write(uint64_t n) { (void)!write(fd_, &n, sizeof n); }

  int fd_;
  std::atomic<bool> interrupted_{false};
};

class PostgresSignal final : public LocalSignal {
 public:
  PostgresSignal(std::string url, std::string channel)
      : url_(std::move(url)), channel_(std::move(channel)) {}
  ~PostgresSignal() override {
    if (conn_) PQfinish(conn_);
  }

  bool Wait(std::chrono::milliseconds timeout) override {
    bool changed = false;
    if (!conn_ && std::chrono::steady_clock::now() >= next_try_) changed = Connect();
    pollfd p[2] = {{fd_, POLLIN, 0}, {conn_ ? PQsocket(conn_) : -1, POLLIN, 0}};
    if (changed) timeout = std::chrono::milliseconds(0);
    poll(p, conn_ ? 2 : 1, static_cast<int>(timeout.count()));
    if (Drain()) changed = true;
    if (conn_ && (p[1].revents & (POLLIN | POLLERR | POLLHUP))) {
      if (!PQconsumeInput(conn_) || PQstatus(conn_) != CONNECTION_OK) {
        LogWarn("change feed: lost the database connection; reconnecting",
                {{"error", std::string(PQerrorMessage(conn_))}});
        PQfinish(conn_);
        conn_ = nullptr;
        next_try_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        return !interrupted_;  // something may have changed while we could not hear it
      }
      while (PGnotify* n = PQnotifies(conn_)) {
        PQfreemem(n);
        changed = true;
      }
    }
    return changed && !interrupted_;
  }
  bool Listening() const override { return listening_; }

 private:
  // Connects and LISTENs; true when it did (the caller then reads what it missed).
  bool Connect() {
    // A bounded connect: a host that does not answer must not hold up a shutdown for long.
    const char* keys[] = {"dbname", "connect_timeout", nullptr};
    const char* values[] = {url_.c_str(), "5", nullptr};
    conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (PQstatus(conn_) == CONNECTION_OK) {
      char* quoted = PQescapeIdentifier(conn_, channel_.c_str(), channel_.size());
      PGresult* r = PQexec(conn_, ("LISTEN " + std::string(quoted)).c_str());
      PQfreemem(quoted);
      bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      PQclear(r);
      if (ok) {
        listening_ = true;
        return true;
      }
    }
    if (!warned_) {
      LogWarn("change feed: cannot LISTEN; retrying each second",
              {{"error", std::string(PQerrorMessage(conn_))}});
      warned_ = true;
    }
    PQfinish(conn_);
    conn_ = nullptr;
    listening_ = false;
    next_try_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    return false;
  }

  std::string url_, channel_;
  PGconn* conn_ = nullptr;
  std::atomic<bool> listening_{false};
  bool warned_ = false;
  std::chrono::steady_clock::time_point next_try_{};
};

}  // namespace

Result<std::unique_ptr<ChangeSignal>> ChangeSignal::Open(const std::string& database_url,
                                                         const std::string& channel) {
  if (database_url.rfind("postgres", 0) == 0) {
    return std::unique_ptr<ChangeSignal>(std::make_unique<PostgresSignal>(database_url, channel));
  }
  if (database_url.rfind("sqlite:", 0) == 0) {
    return std::unique_ptr<ChangeSignal>(std::make_unique<LocalSignal>());
  }
  return Err(Status::InvalidArgument("unsupported database URL for a change signal"));
}

}  // namespace cleanai
