// Statement parameters. The same `$1, $2, ...` SQL text is used on both engines; each Param binds to the natural
// type of each engine (see the comments on the alternatives).
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "core/db/timestamp.h"

namespace pocketid::db {

// Binary data: SQLite BLOB, PostgreSQL bytea (sent as "\x<hex>" text).
struct Blob {
  std::string bytes;
};

// JSON text for the columns that are BLOB on SQLite and jsonb on PostgreSQL (callback_urls, credentials,
// audit_logs.data, ...). Binds as a BLOB holding the UTF-8 JSON text on SQLite, as Pocket ID writes them, and as
// text that the server casts to jsonb on PostgreSQL.
struct Json {
  std::string text;
};

// One parameter value. Implicitly constructible from the usual C++ values so calls read naturally:
//   conn.Query("SELECT ... WHERE id = $1 AND disabled = $2", {user_id, false});
class Param {
 public:
  using Value = std::variant<std::nullptr_t,    // NULL
                             int64_t,           // INTEGER / bigint-compatible text
                             double,            // REAL / double precision
                             bool,              // 0/1 on SQLite, "true"/"false" on PostgreSQL
                             std::string,       // TEXT (owned)
                             std::string_view,  // TEXT (borrowed: must outlive the call)
                             Blob,              // BLOB / bytea
                             Json,              // BLOB / jsonb
                             Timestamp>;        // INTEGER unix seconds / "YYYY-MM-DD HH:MM:SS+00"

  Param() : value_(nullptr) {}
  Param(std::nullptr_t) : value_(nullptr) {}  // NOLINT(google-explicit-constructor): implicit by design
  Param(std::nullopt_t) : value_(nullptr) {}  // NOLINT
  Param(bool v) : value_(v) {}                // NOLINT
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>)
  Param(T v) : value_(static_cast<int64_t>(v)) {}  // NOLINT
  Param(char) = delete;  // almost always a mistake ('x' would otherwise become an integer)
  template <std::floating_point T>
  Param(T v) : value_(static_cast<double>(v)) {}  // NOLINT
  // A null `const char*` binds NULL.
  Param(const char* v) : value_(v == nullptr ? Value(nullptr) : Value(std::string_view(v))) {}  // NOLINT
  Param(std::string_view v) : value_(v) {}         // NOLINT
  Param(std::string v) : value_(std::move(v)) {}   // NOLINT
  Param(Blob v) : value_(std::move(v)) {}          // NOLINT
  Param(Json v) : value_(std::move(v)) {}          // NOLINT
  Param(Timestamp v) : value_(v) {}                // NOLINT
  template <typename T>
  Param(const std::optional<T>& v) : Param(v ? Param(*v) : Param(nullptr)) {}  // NOLINT

  const Value& value() const { return value_; }
  bool is_null() const { return std::holds_alternative<std::nullptr_t>(value_); }

 private:
  Value value_;
};

// "$<first>, $<first+1>, ..." for `count` parameters (an IN list).
inline std::string Placeholders(size_t count, int first = 1) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (i) out += ", ";
    out += "$" + std::to_string(first + static_cast<int>(i));
  }
  return out;
}

}  // namespace pocketid::db
