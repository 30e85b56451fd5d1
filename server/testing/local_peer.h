// SPDX-License-Identifier: AGPL-3.0-or-later
// A real peer program (an SMTP server, a push service) run on loopback for one test:
// started in a child process, waited for until its port accepts, stopped with SIGTERM.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace cleanai::testing {

// A TCP port on 127.0.0.1 that nothing listens on right now.
int FreeLoopbackPort();
// True when something accepts connections on 127.0.0.1:`port`.
bool Accepting(int port);

class LocalPeer {
 public:
  // Runs `argv` (argv[0] is the program's path) and waits up to ten seconds for `port`.
  LocalPeer(const std::vector<std::string>& argv, int port);
  ~LocalPeer();
  LocalPeer(const LocalPeer&) = delete;
  LocalPeer& operator=(const LocalPeer&) = delete;
  bool up() const { return Accepting(port_); }
  int port() const { return port_; }

 private:
  int port_;
  pid_t pid_ = -1;
};

}  // namespace cleanai::testing
