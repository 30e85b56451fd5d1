// SPDX-License-Identifier: AGPL-3.0-or-later
#include "testing/event_stream_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

namespace cleanai::testing {

EventStreamClient::EventStreamClient(int port, const std::string& target,
                                     const std::map<std::string, std::string>& headers) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
  std::string req =
      "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "\r\n";
  send(fd_, req.data(), req.size(), MSG_NOSIGNAL);
  // Read the head synchronously so status() is known when the constructor returns.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  char buf[4096];
  while (head_.find("\r\n\r\n") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) break;
    head_.append(buf, static_cast<size_t>(n));
  }
  size_t end = head_.find("\r\n\r\n");
  if (head_.rfind("HTTP/1.1 ", 0) == 0) status_ = std::atoi(head_.c_str() + 9);
  if (end != std::string::npos) {
    buffer_ = head_.substr(end + 4);
    head_.resize(end);
  }
  if (status_ == 200) reader_ = std::thread([this] { ReadLoop(); });
}

EventStreamClient::~EventStreamClient() { Close(); }

void EventStreamClient::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    closed_ = true;
  }
  if (fd_ >= 0) shutdown(fd_, SHUT_RDWR);
  if (reader_.joinable()) reader_.join();
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void EventStreamClient::ReadLoop() {
  char buf[8192];
  for (;;) {
    // Parse complete events (blank-line terminated) from the buffer.
    size_t end;
    while ((end = buffer_.find("\n\n")) != std::string::npos) {
      std::string block = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      SseEvent e;
      size_t pos = 0;
      bool any = false;
      while (pos <= block.size()) {
        size_t eol = block.find('\n', pos);
        std::string line =
            block.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
        if (line.rfind("id: ", 0) == 0) e.id = line.substr(4), any = true;
        if (line.rfind("event: ", 0) == 0) e.type = line.substr(7), any = true;
        if (line.rfind("data: ", 0) == 0) e.data += line.substr(6), any = true;
        if (eol == std::string::npos) break;
        pos = eol + 1;
      }
      if (any && !e.type.empty()) {
        std::lock_guard<std::mutex> lock(mu_);
        events_.push_back(std::move(e));
        cv_.notify_all();
      }
    }
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) break;
    buffer_.append(buf, static_cast<size_t>(n));
  }
  std::lock_guard<std::mutex> lock(mu_);
  cv_.notify_all();
}

SseEvent EventStreamClient::WaitFor(const std::function<bool(const SseEvent&)>& pred,
                                    int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  SseEvent found;
  cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    for (const auto& e : events_) {
      if (pred(e)) {
        found = e;
        return true;
      }
    }
    return false;
  });
  return found;
}

std::vector<SseEvent> EventStreamClient::Events() const {
  std::lock_guard<std::mutex> lock(mu_);
  return events_;
}

}  // namespace cleanai::testing
