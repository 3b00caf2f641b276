#include "core/db/timestamp.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <limits>

namespace pocketid::db {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct CivilTime {
  int64_t year;
  int month, day, hour, minute, second;
};

CivilTime ToCivil(int64_t unix_seconds) {
  int64_t days = unix_seconds / 86400;
  int64_t secs = unix_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  // H. Hinnant's civil_from_days.
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int64_t y = yoe + era * 400 + (m <= 2);
  return {y, m, d, static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60)};
}

// A tiny cursor over the input; every Read* advances only on success.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return pos_ == s_.size(); }
  char peek() const { return done() ? '\0' : s_[pos_]; }
  bool Consume(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  // Exactly `n` decimal digits.
  bool ReadDigits(size_t n, int64_t& out) {
    if (s_.size() - pos_ < n) return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; ++i) {
      char c = s_[pos_ + i];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    pos_ += n;
    out = v;
    return true;
  }
  void SkipDigits() {
    while (peek() >= '0' && peek() <= '9') ++pos_;
  }
  void SkipSpaces() {
    while (peek() == ' ') ++pos_;
  }
  bool RestIsLetters() const {
    for (size_t i = pos_; i < s_.size(); ++i) {
      char c = s_[i];
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
    }
    return true;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

Status Malformed(std::string_view text) {
  return InvalidArgumentError("malformed timestamp \"" + std::string(text) + "\"");
}

// Parses the zone part after the time: "", "Z", "±hh", "±hhmm", "±hh:mm", optionally followed by a zone name.
// Returns the offset east of UTC in seconds.
std::optional<int64_t> ParseOffset(Cursor& c) {
  c.SkipSpaces();
  int64_t offset = 0;
  if (c.Consume('Z') || c.Consume('z')) {
    // UTC.
  } else if (c.peek() == '+' || c.peek() == '-') {
    const int sign = c.peek() == '-' ? -1 : 1;
    c.Consume(c.peek());
    int64_t hh = 0, mm = 0;
    if (!c.ReadDigits(2, hh)) return std::nullopt;
    if (c.Consume(':')) {
      if (!c.ReadDigits(2, mm)) return std::nullopt;
    } else {
      int64_t tmp = 0;
      if (c.ReadDigits(2, tmp)) mm = tmp;
    }
    if (hh > 23 || mm > 59) return std::nullopt;
    offset = sign * (hh * 3600 + mm * 60);
  }
  c.SkipSpaces();
  // Go's time.String() appends the zone abbreviation ("+0000 UTC"); it adds nothing to the offset.
  if (!c.RestIsLetters()) return std::nullopt;
  return offset;
}

std::optional<Timestamp> ParseUnixSecondsText(std::string_view text) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return Timestamp{v};
}

}  // namespace

Timestamp Now() {
  auto now = std::chrono::system_clock::now();
  return Timestamp{std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()};
}

StatusOr<Timestamp> ParseTimestamp(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) text.remove_suffix(1);
  if (text == "infinity") return Timestamp{std::numeric_limits<int64_t>::max()};
  if (text == "-infinity") return Timestamp{std::numeric_limits<int64_t>::min()};
  if (auto unix = ParseUnixSecondsText(text)) return *unix;
  // PostgreSQL prints years before 1 AD with a " BC" suffix; there is no year 0.
  const bool bc = text.size() > 3 && text.substr(text.size() - 3) == " BC";
  if (bc) text.remove_suffix(3);

  Cursor c(text);
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!c.ReadDigits(4, year) || !c.Consume('-') || !c.ReadDigits(2, month) || !c.Consume('-') ||
      !c.ReadDigits(2, day)) {
    return Malformed(text);
  }
  if (c.Consume('T') || c.Consume('t') || c.Consume(' ')) {
    if (!c.ReadDigits(2, hour) || !c.Consume(':') || !c.ReadDigits(2, minute)) return Malformed(text);
    if (c.Consume(':') && !c.ReadDigits(2, second)) return Malformed(text);
    if (c.Consume('.') || c.Consume(',')) c.SkipDigits();  // fractions are truncated
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) {
    return Malformed(text);
  }
  std::optional<int64_t> offset = ParseOffset(c);
  if (!offset) return Malformed(text);
  if (bc) year = 1 - year;
  const int64_t days = DaysFromCivil(year, month, day);
  return Timestamp{days * 86400 + hour * 3600 + minute * 60 + second - *offset};
}

std::string FormatRfc3339(Timestamp t) {
  CivilTime c = ToCivil(t.unix_seconds);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02dZ", static_cast<long long>(c.year), c.month, c.day,
                c.hour, c.minute, c.second);
  return buf;
}

std::string FormatPostgresTimestamp(Timestamp t) {
  if (t.unix_seconds == std::numeric_limits<int64_t>::max()) return "infinity";
  if (t.unix_seconds == std::numeric_limits<int64_t>::min()) return "-infinity";
  CivilTime c = ToCivil(t.unix_seconds);
  char buf[48];
  if (c.year <= 0) {
    // PostgreSQL has no year 0: 1 BC is year 0 in the proleptic calendar.
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d %02d:%02d:%02d+00 BC", static_cast<long long>(1 - c.year), c.month,
                  c.day, c.hour, c.minute, c.second);
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d %02d:%02d:%02d+00", static_cast<long long>(c.year), c.month, c.day,
                  c.hour, c.minute, c.second);
  }
  return buf;
}

std::string FormatSqliteDatetime(Timestamp t) {
  CivilTime c = ToCivil(t.unix_seconds);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d %02d:%02d:%02d", static_cast<long long>(c.year), c.month, c.day,
                c.hour, c.minute, c.second);
  return buf;
}

}  // namespace pocketid::db
