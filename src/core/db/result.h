// Query results: a fully materialised ResultSet (statements are reset before Query returns, so a pooled connection
// never holds a read transaction open) and Row, a cheap view of one of its rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/timestamp.h"

namespace pocketid::db {

// What a column holds, portably. Derived from the declared type on SQLite (DATETIME, BOOLEAN, BLOB, ...) and from
// the result type on PostgreSQL (timestamptz, bool, bytea, jsonb, ...). Expression columns on SQLite have no declared
// type and are kUnknown. Note that Pocket ID's JSON columns are kBlob on SQLite but kJson on PostgreSQL.
enum class ColumnKind { kUnknown, kText, kInteger, kReal, kBool, kTimestamp, kBlob, kJson };

struct ColumnInfo {
  std::string name;
  // SQLite: the declared type as written in CREATE TABLE ("DATETIME", "TEXT", ...; "" for expressions).
  // PostgreSQL: the type name for built-in types ("timestamptz", "uuid", "bytea", ...), "oid:<n>" otherwise
  // (e.g. citext, whose oid differs per database).
  std::string decl_type;
  ColumnKind kind = ColumnKind::kUnknown;
};

namespace internal {

// One stored cell. SQLite cells keep their storage class; PostgreSQL cells are text, except bytea which is
// decoded to bytes when the result is read.
struct Cell {
  enum class Type : uint8_t { kNull, kInt, kReal, kText, kBlob };
  Type type = Type::kNull;
  int64_t i = 0;
  double d = 0;
  std::string s;
};

struct ResultData {
  // Shared with the statement cache on SQLite, so a query does not copy column names.
  std::shared_ptr<const std::vector<ColumnInfo>> columns;
  std::vector<Cell> cells;  // row-major
};

}  // namespace internal

// A view of one row. Valid while its ResultSet lives. Column indexes are 0-based; an out-of-range index or an
// unknown name reads as NULL. Conversions never fail loudly: use the Optional* forms to tell NULL apart.
class Row {
 public:
  Row(const internal::ResultData* data, size_t row) : data_(data), row_(row) {}

  size_t column_count() const { return data_->columns->size(); }
  // The index of the column named `name`, or -1.
  int ColumnIndex(std::string_view name) const;

  bool IsNull(int col) const;
  // TEXT as is; BLOB/bytea as the raw bytes; integers and reals in decimal; PostgreSQL jsonb as its JSON text.
  std::string Text(int col) const;
  // Integers; reals truncated; numeric text parsed; booleans as 0/1. NULL or unparsable text → 0.
  int64_t Int(int col) const;
  double Double(int col) const;
  // SQLite 0/1 integers (also 'true'/'false'/'t'/'f'/'1'/'0' text); PostgreSQL 't'/'f'. NULL → false.
  bool Bool(int col) const;
  // SQLite INTEGER unix seconds or any text ParseTimestamp() accepts; PostgreSQL timestamptz text.
  // NULL or unparsable → Timestamp{0}.
  Timestamp Time(int col) const;

  std::optional<std::string> OptionalText(int col) const;
  std::optional<int64_t> OptionalInt(int col) const;
  std::optional<bool> OptionalBool(int col) const;
  // nullopt for NULL and for text that is not a timestamp.
  std::optional<Timestamp> OptionalTime(int col) const;

  // The same accessors by column name.
  bool IsNull(std::string_view name) const { return IsNull(ColumnIndex(name)); }
  std::string Text(std::string_view name) const { return Text(ColumnIndex(name)); }
  int64_t Int(std::string_view name) const { return Int(ColumnIndex(name)); }
  double Double(std::string_view name) const { return Double(ColumnIndex(name)); }
  bool Bool(std::string_view name) const { return Bool(ColumnIndex(name)); }
  Timestamp Time(std::string_view name) const { return Time(ColumnIndex(name)); }
  std::optional<std::string> OptionalText(std::string_view name) const { return OptionalText(ColumnIndex(name)); }
  std::optional<int64_t> OptionalInt(std::string_view name) const { return OptionalInt(ColumnIndex(name)); }
  std::optional<bool> OptionalBool(std::string_view name) const { return OptionalBool(ColumnIndex(name)); }
  std::optional<Timestamp> OptionalTime(std::string_view name) const { return OptionalTime(ColumnIndex(name)); }

 private:
  const internal::Cell* cell(int col) const;

  const internal::ResultData* data_;
  size_t row_;
};

class ResultSet {
 public:
  ResultSet();
  ResultSet(std::unique_ptr<internal::ResultData> data, int64_t rows_affected)
      : data_(std::move(data)), rows_affected_(rows_affected) {}

  size_t size() const { return columns().empty() ? 0 : data_->cells.size() / columns().size(); }
  bool empty() const { return size() == 0; }
  Row operator[](size_t row) const { return Row(data_.get(), row); }
  const std::vector<ColumnInfo>& columns() const { return *data_->columns; }
  // Rows inserted, updated or deleted by the statement (not counting cascades); 0 for other statements.
  int64_t rows_affected() const { return rows_affected_; }

  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Row;
    using difference_type = std::ptrdiff_t;
    Iterator(const ResultSet* rs, size_t i) : rs_(rs), i_(i) {}
    Row operator*() const { return (*rs_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const Iterator& o) const { return i_ == o.i_; }

   private:
    const ResultSet* rs_;
    size_t i_;
  };
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, size()); }

 private:
  // Behind a pointer so Rows stay valid when the ResultSet (or the StatusOr holding it) is moved.
  std::unique_ptr<internal::ResultData> data_;
  int64_t rows_affected_ = 0;
};

}  // namespace pocketid::db
