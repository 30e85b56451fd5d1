// SPDX-License-Identifier: AGPL-3.0-or-later
// The JWT key and its predecessor: rotation, the grace period, a leaked key.
#include "auth/signing_keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

namespace cleanai {
namespace {

class SteppedClock : public Clock {
 public:
  SystemTime Now() const override { return SystemClock().Now() + std::chrono::seconds(ahead); }
  std::atomic<int> ahead{0};
};

std::string TempDir() {
  char tmpl[] = "/tmp/cleanai-keys-XXXXXX";
  return mkdtemp(tmpl);
}

// Get() re-reads the files at most every two seconds: wait for a change to show.
std::shared_ptr<const SigningKeys::Keys> WaitFor(
    SigningKeys& keys, const std::function<bool(const SigningKeys::Keys&)>& done) {
  auto k = keys.Get();
  for (int i = 0; i < 100 && !done(*k); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    k = keys.Get();
  }
  return k;
}

TEST(SigningKeysTest, RotationKeepsThePreviousKeyForTheGracePeriodOnly) {
  const std::string dir = TempDir();
  SteppedClock clock;
  auto keys = SigningKeys::Open(dir, 60, clock);
  ASSERT_TRUE(keys) << keys.error().message();
  const std::string first = (*keys)->Get()->current;
  ASSERT_GE(first.size(), 32u);
  EXPECT_TRUE((*keys)->Get()->previous.empty());

  ASSERT_TRUE(RotateSigningKey(dir, false).ok());
  auto k = WaitFor(**keys, [&](const auto& k) { return k.current != first; });
  EXPECT_NE(k->current, first);
  EXPECT_EQ(k->previous, first) << "the old key is honoured during the grace period";
  EXPECT_NE(SigningKeyId(k->current), SigningKeyId(first));

  clock.ahead = 61;  // past the grace period: the old key's tokens have all expired
  EXPECT_TRUE((*keys)->Get()->previous.empty());
  EXPECT_EQ((*keys)->Get()->current, k->current);
  std::filesystem::remove_all(dir);
}

TEST(SigningKeysTest, RotatingNowHonoursNoOldKeyAndAnotherProcessSeesIt) {
  const std::string dir = TempDir();
  auto a = SigningKeys::Open(dir, 900, SystemClock());
  auto b = SigningKeys::Open(dir, 900, SystemClock());  // a second instance, same directory
  ASSERT_TRUE(a && b);
  EXPECT_EQ((*a)->Get()->current, (*b)->Get()->current);
  const std::string first = (*a)->Get()->current;
  ASSERT_TRUE(RotateSigningKey(dir, false).ok());
  ASSERT_TRUE(RotateSigningKey(dir, true).ok());
  for (auto* keys : {a->get(), b->get()}) {
    auto k = WaitFor(*keys, [&](const auto& k) { return k.current != first; });
    EXPECT_NE(k->current, first);
    EXPECT_TRUE(k->previous.empty()) << "--now: nothing old is honoured";
  }
  EXPECT_EQ((*a)->Get()->current, (*b)->Get()->current);
  struct stat st {};
  ASSERT_EQ(::stat((dir + "/jwt.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::filesystem::remove_all(dir);
}

TEST(SigningKeysTest, AnUnreadableKeyFileKeepsTheLoadedKey) {
  const std::string dir = TempDir();
  auto keys = SigningKeys::Open(dir, 900, SystemClock());
  ASSERT_TRUE(keys);
  const std::string first = (*keys)->Get()->current;
  std::filesystem::remove(dir + "/jwt.key");
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ((*keys)->Get()->current, first);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cleanai
