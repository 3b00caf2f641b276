#include "core/config/go_values.h"

#include <gtest/gtest.h>

namespace pocketid::config {
namespace {

TEST(GoValuesTest, ParseBoolAcceptsExactlyGoSpellings) {
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"}) EXPECT_EQ(ParseGoBool(t), true) << t;
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"}) EXPECT_EQ(ParseGoBool(f), false) << f;
  for (const char* bad : {"yes", "no", "on", "tRUE", " true", "", "2"})
    EXPECT_EQ(ParseGoBool(bad), std::nullopt) << bad;
}

TEST(GoValuesTest, ParseInt32) {
  EXPECT_EQ(ParseGoInt32("90"), 90);
  EXPECT_EQ(ParseGoInt32("+7"), 7);
  EXPECT_EQ(ParseGoInt32("-3"), -3);
  EXPECT_EQ(ParseGoInt32("007"), 7);
  EXPECT_EQ(ParseGoInt32("2147483647"), 2147483647);
  EXPECT_EQ(ParseGoInt32("-2147483648"), -2147483647 - 1);
  for (const char* bad : {"", "-", "2147483648", "1_000", "0x10", "1.5", " 1", "abc", "99999999999999999999"}) {
    EXPECT_EQ(ParseGoInt32(bad), std::nullopt) << bad;
  }
}

TEST(GoValuesTest, ParseUint32Octal) {
  EXPECT_EQ(ParseGoUint32("0660", 8).value, 0660u);
  EXPECT_EQ(ParseGoUint32("777", 8).value, 0777u);
  EXPECT_EQ(ParseGoUint32("8", 8).error, "invalid syntax");
  EXPECT_EQ(ParseGoUint32("", 8).error, "invalid syntax");
  EXPECT_EQ(ParseGoUint32("-1", 8).error, "invalid syntax");
  EXPECT_EQ(ParseGoUint32("77777777777", 8).error, "value out of range");
}

TEST(GoValuesTest, ParseDuration) {
  constexpr int64_t kS = 1'000'000'000;
  EXPECT_EQ(ParseGoDuration("720h"), 720 * 3600 * kS);
  EXPECT_EQ(ParseGoDuration("1h30m"), 90 * 60 * kS);
  EXPECT_EQ(ParseGoDuration("1.5h"), 90 * 60 * kS);
  EXPECT_EQ(ParseGoDuration("45s"), 45 * kS);
  EXPECT_EQ(ParseGoDuration("-2m"), -120 * kS);
  EXPECT_EQ(ParseGoDuration("0"), 0);
  EXPECT_EQ(ParseGoDuration("300ms"), 300'000'000);
  EXPECT_EQ(ParseGoDuration(".5s"), kS / 2);
  for (const char* bad : {"", "h", "10", "10d", "1h 30m", "1..5h", ".h", "99999999999h", "+"}) {
    EXPECT_EQ(ParseGoDuration(bad), std::nullopt) << bad;
  }
}

TEST(GoValuesTest, LowerAndTrim) {
  EXPECT_EQ(AsciiLower("HTTPS://ID.Example.com"), "https://id.example.com");
  EXPECT_EQ(TrimAsciiSpace("  a b \n\t"), "a b");
  EXPECT_EQ(TrimAsciiSpace(" \n "), "");
}

}  // namespace
}  // namespace pocketid::config
