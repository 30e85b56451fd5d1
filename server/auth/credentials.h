// SPDX-License-Identifier: AGPL-3.0-or-later
// Password hashing and access tokens: the cryptographic half of auth, no storage.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/status.h"

namespace cleanai {

// Argon2id (libsodium's interactive limits: 2 passes, 64 MiB). Returns Internal only
// when the machine cannot allocate the memory. Thread-safe; takes ~50-100 ms on purpose.
Result<std::string> HashPassword(const std::string& password);

// Verifies `password` against a stored Argon2id hash in time independent of where it
// differs.
bool VerifyPassword(const std::string& password, const std::string& hash);

// Spends the same time as VerifyPassword on a real hash, so a login for an unknown
// account cannot be told apart by timing.
void BurnPasswordCheck(const std::string& password);

struct AccessClaims {
  std::string user_id;     // sub
  std::string role;        // role
  std::string session_id;  // sid: the refresh-token family this token was issued with
  SystemTime issued_at;
  SystemTime expires_at;
};

// Signs an HS256 JWT with `key` for `issuer`; the header names the key (SigningKeyId).
std::string SignAccessToken(const AccessClaims& claims, const std::string& issuer,
                            const std::string& key);

// The reason VerifyAccessToken gives for a signature made with another key.
inline constexpr const char* kBadSignature = "invalid token signature";

// Verifies an HS256 JWT: exactly three parts, header alg HS256 (anything else, "none"
// included, is refused), signature, issuer, expiry against `now`. Returns
// Unauthenticated with a short reason on any failure.
Result<AccessClaims> VerifyAccessToken(const std::string& token, const std::string& issuer,
                                       const std::string& key, SystemTime now);

}  // namespace cleanai
