#include "core/crypto/random.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace pocketid::crypto {
namespace {

TEST(RandomTest, RandomBytesHasRequestedLengthAndVaries) {
  EXPECT_EQ(RandomBytes(0), "");
  EXPECT_EQ(RandomBytes(1).size(), 1u);
  EXPECT_EQ(RandomBytes(1000).size(), 1000u);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

TEST(RandomTest, UuidV4Format) {
  // xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx, lowercase hex.
  const auto well_formed = [](const std::string& id) {
    if (id.size() != 36 || id[14] != '4' || std::string_view("89ab").find(id[19]) == std::string_view::npos)
      return false;
    for (size_t i = 0; i < id.size(); ++i) {
      const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? id[i] != '-' : std::string_view("0123456789abcdef").find(id[i]) == std::string_view::npos)
        return false;
    }
    return true;
  };
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string id = NewUuidV4();
    EXPECT_TRUE(well_formed(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(RandomTest, RandomStringUsesOnlyTheAlphabet) {
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const std::string s = RandomString(500, alphabet);
  ASSERT_EQ(s.size(), 500u);
  EXPECT_EQ(s.find_first_not_of(alphabet), std::string::npos);
  EXPECT_EQ(RandomString(0, alphabet), "");
  EXPECT_EQ(RandomString(5, "x"), "xxxxx");
}

TEST(RandomTest, RandomStringIsRoughlyUniform) {
  // Alphabet of 3: plain `byte % 3` would favour 'a' (86/256 vs 85/256), far too little to see here, so this
  // checks for gross bugs (stuck index, off-by-one) rather than proving the rejection sampling.
  const std::string s = RandomString(30000, "abc");
  std::map<char, int> counts;
  for (char c : s) ++counts[c];
  ASSERT_EQ(counts.size(), 3u);
  for (const auto& [c, n] : counts) {
    EXPECT_GT(n, 9400) << c;
    EXPECT_LT(n, 10600) << c;
  }
  // Full 256-symbol alphabet: every byte value accepted.
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(RandomString(64, all).size(), 64u);
}

}  // namespace
}  // namespace pocketid::crypto
