// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/crypto.h"

#include <sodium.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <vector>

namespace cleanai {

bool InitCrypto() { return sodium_init() >= 0; }

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.size() - 1);  // drop the terminating NUL sodium writes
  return out;
}

bool Base64UrlDecode(std::string_view text, std::string* out) {
  std::string buf(text.size(), '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(buf.data()), buf.size(), text.data(),
                        text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return false;
  }
  buf.resize(len);
  *out = std::move(buf);
  return true;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

Result<std::string> Sha256HexOfFile(const std::string& path, uint64_t* size) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Err(Status::NotFound("cannot read " + path));
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::vector<unsigned char> buf(1 << 20);
  uint64_t total = 0;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    crypto_hash_sha256_update(&st, buf.data(), n);
    total += n;
  }
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Err(Status::Internal("error reading " + path));
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  if (size) *size = total;
  return std::string(hex);
}

namespace {
void SealKey(std::string_view secret, std::string_view purpose,
             unsigned char key[crypto_secretbox_KEYBYTES]) {
  static_assert(crypto_secretbox_KEYBYTES == crypto_hash_sha256_BYTES);
  std::string input = "cleanai-seal|" + std::string(purpose) + "|" + std::string(secret);
  crypto_hash_sha256(key, reinterpret_cast<const unsigned char*>(input.data()), input.size());
}
}  // namespace

std::string SealText(std::string_view secret, std::string_view purpose, std::string_view text) {
  unsigned char key[crypto_secretbox_KEYBYTES];
  SealKey(secret, purpose, key);
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + text.size(), '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(bytes, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(bytes + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(text.data()), text.size(), bytes,
                        key);
  sodium_memzero(key, sizeof key);
  return Base64UrlEncode(out);
}

bool OpenSealedText(std::string_view secret, std::string_view purpose, std::string_view sealed,
                    std::string* text) {
  std::string raw;
  if (sealed.size() > 8192 || !Base64UrlDecode(sealed, &raw) ||
      raw.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return false;
  }
  unsigned char key[crypto_secretbox_KEYBYTES];
  SealKey(secret, purpose, key);
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  std::string plain(raw.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  bool ok = crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                       bytes + crypto_secretbox_NONCEBYTES,
                                       raw.size() - crypto_secretbox_NONCEBYTES, bytes, key) == 0;
  sodium_memzero(key, sizeof key);
  if (ok) *text = std::move(plain);
  return ok;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&st, reinterpret_cast<unsigned char*>(mac.data()));
  return mac;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

// 8-4-4-4-12 lower-case hex.
std::string UuidText(const unsigned char (&b)[16]) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xF]);
  }
  return out;
}

}  // namespace

std::string NewUuidV7() {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  // RFC 9562 method 1: within one millisecond a 12-bit counter in rand_a keeps ids from
  // this process strictly increasing, so "ORDER BY id" is creation order.
  static std::mutex mu;
  static uint64_t last_ms = 0;
  static uint16_t seq = 0;
  uint64_t ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  {
    std::lock_guard<std::mutex> lock(mu);
    if (ms <= last_ms) {
      if (++seq > 0x0FFF) {  // counter exhausted: borrow the next millisecond
        ++last_ms;
        seq = 0;
      }
      ms = last_ms;
    } else {
      last_ms = ms;
      seq = static_cast<uint16_t>(b[7] & 0x03);  // small random start, room to count
    }
    b[6] = static_cast<unsigned char>(0x70 | ((seq >> 8) & 0x0F));  // version 7 + counter
    b[7] = static_cast<unsigned char>(seq & 0xFF);
  }
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  return UuidText(b);
}

std::string NewRequestId() {
  // Per thread: 62 random bits drawn once, then a counter. Unique without a shared lock
  // or a getrandom(2) per request; not secret, not ordered across threads (it only names
  // a request in logs and X-Request-Id).
  thread_local uint64_t prefix = [] {
    uint64_t v = 0;
    randombytes_buf(&v, sizeof v);
    return v;
  }();
  thread_local uint64_t counter = 0;
  const uint64_t n = ++counter;
  const uint64_t ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count());
  unsigned char b[16];
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  b[6] = static_cast<unsigned char>(0x70 | ((n >> 8) & 0x0F));  // version 7
  b[7] = static_cast<unsigned char>(n & 0xFF);
  // rand_b: the thread's random prefix, its low bits mixed with the counter's high bits.
  const uint64_t tail = prefix ^ (n >> 12);
  for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<unsigned char>(tail >> (56 - 8 * i));
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  return UuidText(b);
}

std::string UuidV7At(int64_t unix_ms) {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  for (int i = 0; i < 6; ++i)
    b[i] = static_cast<unsigned char>(static_cast<uint64_t>(unix_ms) >> (40 - 8 * i));
  b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0F));
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  return UuidText(b);
}

std::string UuidV7Floor(int64_t unix_ms) {
  char buf[40];
  uint64_t ms = static_cast<uint64_t>(unix_ms) & 0xFFFFFFFFFFFFull;
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-7000-8000-000000000000",
                static_cast<unsigned long long>(ms >> 16),
                static_cast<unsigned long long>(ms & 0xFFFF));
  return buf;
}

bool IsUuid(std::string_view t) {
  if (t.size() != 36) return false;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace cleanai
