#include "core/db/result.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace pocketid::db {
namespace {

using internal::Cell;

std::optional<int64_t> ParseInt(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && ptr == s.data() + s.size()) return v;
  // "12.7" and "1e3" (numeric text) are truncated like REAL values.
  std::string copy(s);
  char* end = nullptr;
  double d = std::strtod(copy.c_str(), &end);
  if (end == copy.c_str() || *end != '\0' || !std::isfinite(d)) return std::nullopt;
  if (d >= 9.2e18 || d <= -9.2e18) return std::nullopt;
  return static_cast<int64_t>(d);
}

std::optional<bool> ParseBoolText(std::string_view s) {
  if (s == "t" || s == "true" || s == "TRUE" || s == "True" || s == "1" || s == "y" || s == "yes" || s == "on") {
    return true;
  }
  if (s == "f" || s == "false" || s == "FALSE" || s == "False" || s == "0" || s == "n" || s == "no" || s == "off") {
    return false;
  }
  return std::nullopt;
}

std::string FormatDouble(double d) {
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc() ? std::string(buf, ptr) : std::string();
}

// Converts a REAL to whole seconds/ints without undefined behaviour on NaN or huge values.
int64_t SaturatingTruncate(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9.2e18) return std::numeric_limits<int64_t>::max();
  if (d <= -9.2e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

}  // namespace

ResultSet::ResultSet() : data_(std::make_unique<internal::ResultData>()) {
  data_->columns = std::make_shared<const std::vector<ColumnInfo>>();
}

int Row::ColumnIndex(std::string_view name) const {
  const auto& cols = *data_->columns;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

const Cell* Row::cell(int col) const {
  const size_t n = data_->columns->size();
  if (col < 0 || static_cast<size_t>(col) >= n) return nullptr;
  const size_t idx = row_ * n + static_cast<size_t>(col);
  if (idx >= data_->cells.size()) return nullptr;
  return &data_->cells[idx];
}

bool Row::IsNull(int col) const {
  const Cell* c = cell(col);
  return c == nullptr || c->type == Cell::Type::kNull;
}

std::optional<std::string> Row::OptionalText(int col) const {
  const Cell* c = cell(col);
  if (c == nullptr) return std::nullopt;
  switch (c->type) {
    case Cell::Type::kNull: return std::nullopt;
    case Cell::Type::kInt: return std::to_string(c->i);
    case Cell::Type::kReal: return FormatDouble(c->d);
    case Cell::Type::kText:
    case Cell::Type::kBlob: return c->s;
  }
  return std::nullopt;
}

std::string Row::Text(int col) const { return OptionalText(col).value_or(std::string()); }

std::optional<int64_t> Row::OptionalInt(int col) const {
  const Cell* c = cell(col);
  if (c == nullptr) return std::nullopt;
  switch (c->type) {
    case Cell::Type::kNull: return std::nullopt;
    case Cell::Type::kInt: return c->i;
    case Cell::Type::kReal: return SaturatingTruncate(c->d);
    case Cell::Type::kText:
    case Cell::Type::kBlob:
      if (auto v = ParseInt(c->s)) return v;
      if (auto b = ParseBoolText(c->s)) return *b ? 1 : 0;  // PostgreSQL booleans read as integers
      return std::nullopt;
  }
  return std::nullopt;
}

int64_t Row::Int(int col) const { return OptionalInt(col).value_or(0); }

double Row::Double(int col) const {
  const Cell* c = cell(col);
  if (c == nullptr) return 0;
  switch (c->type) {
    case Cell::Type::kNull: return 0;
    case Cell::Type::kInt: return static_cast<double>(c->i);
    case Cell::Type::kReal: return c->d;
    case Cell::Type::kText:
    case Cell::Type::kBlob: {
      // strtod understands PostgreSQL's "Infinity"/"NaN" spellings too.
      char* end = nullptr;
      double d = std::strtod(c->s.c_str(), &end);
      return end == c->s.c_str() ? 0 : d;
    }
  }
  return 0;
}

std::optional<bool> Row::OptionalBool(int col) const {
  const Cell* c = cell(col);
  if (c == nullptr) return std::nullopt;
  switch (c->type) {
    case Cell::Type::kNull: return std::nullopt;
    case Cell::Type::kInt: return c->i != 0;
    case Cell::Type::kReal: return c->d != 0;
    case Cell::Type::kText:
    case Cell::Type::kBlob:
      if (auto b = ParseBoolText(c->s)) return b;
      if (auto v = ParseInt(c->s)) return *v != 0;
      return std::nullopt;
  }
  return std::nullopt;
}

bool Row::Bool(int col) const { return OptionalBool(col).value_or(false); }

std::optional<Timestamp> Row::OptionalTime(int col) const {
  const Cell* c = cell(col);
  if (c == nullptr) return std::nullopt;
  switch (c->type) {
    case Cell::Type::kNull: return std::nullopt;
    case Cell::Type::kInt: return Timestamp{c->i};  // Pocket ID writes unix seconds
    case Cell::Type::kReal: return Timestamp{SaturatingTruncate(c->d)};
    case Cell::Type::kText:
    case Cell::Type::kBlob: {
      StatusOr<Timestamp> t = ParseTimestamp(c->s);
      if (!t.ok()) return std::nullopt;
      return *t;
    }
  }
  return std::nullopt;
}

Timestamp Row::Time(int col) const { return OptionalTime(col).value_or(Timestamp{0}); }

}  // namespace pocketid::db
