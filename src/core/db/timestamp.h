// Timestamps as the database layer sees them: whole Unix seconds (Pocket ID stores seconds on SQLite), plus the
// parsers and formatters both engines need.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status/status.h"

namespace pocketid::db {

struct Timestamp {
  int64_t unix_seconds = 0;

  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

// The current time, truncated to whole seconds.
Timestamp Now();

// Parses the textual timestamp forms found in Pocket ID databases, all read as UTC unless they carry an offset:
//   "YYYY-MM-DD HH:MM:SS"            SQLite datetime('now'), the sqlite3 CLI guides
//   "YYYY-MM-DDTHH:MM:SS.fffZ"       RFC 3339, with optional fraction and "Z" / "±hh:mm" / "±hhmm" / "±hh"
//   "YYYY-MM-DD HH:MM:SS.ffffff+00"  PostgreSQL timestamptz output (DateStyle ISO)
//   "YYYY-MM-DD"                     a bare date (midnight UTC)
//   "1732300000"                     Unix seconds written as text
//   "infinity" / "-infinity"         PostgreSQL's special values (INT64 max / min)
// A trailing zone abbreviation after the offset (Go's "... +0000 UTC") is ignored. Fractions are truncated.
StatusOr<Timestamp> ParseTimestamp(std::string_view text);

// "2025-11-25T12:39:02Z": the form the export archive uses.
std::string FormatRfc3339(Timestamp t);

// "2025-11-25 12:39:02+00": what we send to PostgreSQL for a timestamptz parameter.
std::string FormatPostgresTimestamp(Timestamp t);

// "2025-11-25 12:39:02": SQLite's datetime() format, UTC.
std::string FormatSqliteDatetime(Timestamp t);

}  // namespace pocketid::db
