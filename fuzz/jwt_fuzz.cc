// SPDX-License-Identifier: AGPL-3.0-or-later
// Access tokens: parsing and verification of whatever a client puts after "Bearer ".
#include <cstddef>
#include <cstdint>
#include <string>

#include "auth/credentials.h"
#include "core/crypto.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static bool ready = cleanai::InitCrypto();
  if (!ready) return 0;
  static const std::string key(32, 'k');
  std::string token(reinterpret_cast<const char*>(data), size);
  cleanai::SystemTime now{std::chrono::milliseconds(1'790'000'000'000)};
  auto claims = cleanai::VerifyAccessToken(token, "cleanai", key, now);
  // A token the fuzzer could not have signed must never verify.
  if (claims && token.find("unsigned") != std::string::npos) __builtin_trap();
  return 0;
}
