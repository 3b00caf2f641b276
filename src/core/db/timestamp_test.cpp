#include "core/db/timestamp.h"

#include <gtest/gtest.h>

#include <limits>

namespace pocketid::db {
namespace {

constexpr int64_t k20251125_123902 = 1764074342;  // 2025-11-25 12:39:02 UTC

int64_t Parse(std::string_view s) {
  StatusOr<Timestamp> t = ParseTimestamp(s);
  EXPECT_TRUE(t.ok()) << s << ": " << t.status().ToString();
  return t.ok() ? t->unix_seconds : -999;
}

TEST(ParseTimestampTest, SqliteDatetimeText) {
  EXPECT_EQ(Parse("2025-11-25 12:39:02"), k20251125_123902);
  EXPECT_EQ(Parse("1970-01-01 00:00:00"), 0);
  EXPECT_EQ(Parse("1969-12-31 23:59:59"), -1);
  EXPECT_EQ(Parse("2024-02-29 23:59:59"), 1709251199);
  EXPECT_EQ(Parse("2025-11-25 12:39"), k20251125_123902 - 2);  // SQLite also accepts HH:MM
}

TEST(ParseTimestampTest, Rfc3339WithFractionAndOffsets) {
  EXPECT_EQ(Parse("2025-11-25T12:39:02Z"), k20251125_123902);
  EXPECT_EQ(Parse("2025-11-25T12:39:02.999999999Z"), k20251125_123902);  // truncated, not rounded
  EXPECT_EQ(Parse("2025-11-25t12:39:02z"), k20251125_123902);
  EXPECT_EQ(Parse("2025-11-25T14:39:02+02:00"), k20251125_123902);
  EXPECT_EQ(Parse("2025-11-25T11:09:02.5-01:30"), k20251125_123902);
  EXPECT_EQ(Parse("2025-11-25T14:39:02+0200"), k20251125_123902);
  EXPECT_EQ(Parse("2025-11-25 12:39:02.123+00:00"), k20251125_123902);
}

TEST(ParseTimestampTest, PostgresAndGoForms) {
  EXPECT_EQ(Parse("2025-11-25 12:39:02+00"), k20251125_123902);
  EXPECT_EQ(Parse("2025-11-25 12:39:02.123456+00"), k20251125_123902);
  EXPECT_EQ(Parse("2025-11-25 13:39:02+01"), k20251125_123902);
  EXPECT_EQ(Parse("2025-11-25 12:39:02 +0000 UTC"), k20251125_123902);  // Go time.String()
  EXPECT_EQ(Parse("2025-11-25 12:39:02.5+00:00"), k20251125_123902);    // modernc _time_format=sqlite
  EXPECT_EQ(Parse("infinity"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Parse("-infinity"), std::numeric_limits<int64_t>::min());
}

TEST(ParseTimestampTest, DatesAndUnixText) {
  EXPECT_EQ(Parse("2000-01-01"), 946684800);
  EXPECT_EQ(Parse("1764074342"), k20251125_123902);
  EXPECT_EQ(Parse("  2025-11-25 12:39:02  "), k20251125_123902);
}

TEST(ParseTimestampTest, RejectsGarbage) {
  for (std::string_view bad : {"", "yesterday", "2025-13-01", "2025-11-25X12:39:02", "2025-11-25 12:39:02+99:00",
                               "2025-11-25 12:39:02 garbage!", "2025/11/25"}) {
    StatusOr<Timestamp> t = ParseTimestamp(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(FormatTimestampTest, AllFormats) {
  EXPECT_EQ(FormatRfc3339(Timestamp{k20251125_123902}), "2025-11-25T12:39:02Z");
  EXPECT_EQ(FormatPostgresTimestamp(Timestamp{k20251125_123902}), "2025-11-25 12:39:02+00");
  EXPECT_EQ(FormatSqliteDatetime(Timestamp{k20251125_123902}), "2025-11-25 12:39:02");
  EXPECT_EQ(FormatRfc3339(Timestamp{-1}), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatPostgresTimestamp(Timestamp{std::numeric_limits<int64_t>::max()}), "infinity");
}

TEST(FormatTimestampTest, RoundTripsThroughParse) {
  for (int64_t v : {int64_t{0}, int64_t{-86401}, k20251125_123902, int64_t{253402300799}, int64_t{-62135596800}}) {
    EXPECT_EQ(Parse(FormatRfc3339(Timestamp{v})), v);
    EXPECT_EQ(Parse(FormatPostgresTimestamp(Timestamp{v})), v);
    EXPECT_EQ(Parse(FormatSqliteDatetime(Timestamp{v})), v);
  }
}

TEST(FormatTimestampTest, NowIsRecent) { EXPECT_GT(Now().unix_seconds, k20251125_123902 - 86400 * 365); }

}  // namespace
}  // namespace pocketid::db
