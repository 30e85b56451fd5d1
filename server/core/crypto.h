// SPDX-License-Identifier: AGPL-3.0-or-later
// Small cryptographic helpers on libsodium. All functions are thread-safe once
// InitCrypto() has returned true (called at start-up by main and by tests).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace cleanai {

// Initialises libsodium. Returns false if the library cannot be used.
bool InitCrypto();

// `n` bytes from the operating system's CSPRNG.
std::string RandomBytes(size_t n);

// RFC 4648 base64url without padding, as JWT uses it.
std::string Base64UrlEncode(std::string_view bytes);
// Returns false when `text` is not valid unpadded base64url.
bool Base64UrlDecode(std::string_view text, std::string* out);

// Lower-case hex of SHA-256(data).
std::string Sha256Hex(std::string_view data);
// The same for a file, read in pieces (a database can be larger than memory); the size
// in bytes goes to *size. NotFound when the file cannot be opened.
Result<std::string> Sha256HexOfFile(const std::string& path, uint64_t* size = nullptr);

// Raw 32-byte HMAC-SHA256(key, data).
std::string HmacSha256(std::string_view key, std::string_view data);

// Authenticated encryption (libsodium secretbox, XSalsa20-Poly1305) under a key derived
// from `secret` and `purpose`: the output is base64url, safe in a cookie. Open returns
// false for anything not sealed with the same secret and purpose, or altered.
std::string SealText(std::string_view secret, std::string_view purpose, std::string_view text);
bool OpenSealedText(std::string_view secret, std::string_view purpose, std::string_view sealed,
                    std::string* text);

// Compares in time independent of where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// A new RFC 9562 UUIDv7 in canonical text form; time-ordered, so B-tree inserts stay local.
std::string NewUuidV7();
// A unique id for one request (UUID v7 text), cheaper than NewUuidV7: no lock, no
// system call. Not ordered across threads; not for rows.
std::string NewRequestId();
// A UUIDv7 for a row made at `unix_ms` (random otherwise, no ordering within the
// millisecond): imported or generated history keeps "id order is time order".
std::string UuidV7At(int64_t unix_ms);
// The smallest UUIDv7 of `unix_ms`: every id made at or after that time sorts at or above
// it, so "id >= UuidV7Floor(t)" bounds an id-ordered scan for rows created since t.
std::string UuidV7Floor(int64_t unix_ms);

// True when `text` is a canonical lower- or upper-case UUID.
bool IsUuid(std::string_view text);

}  // namespace cleanai
