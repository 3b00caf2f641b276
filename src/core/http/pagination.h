// List endpoints the way Pocket ID pages, sorts and filters them (management.md §0.3): the query parameters
// `pagination[page]`, `pagination[limit]`, `sort[column]`, `sort[direction]`, `filters[<field>]` /
// `filters[<field>][N]`, the SQL fragments that apply them to a query, and the `{"data","pagination"}` envelope.
//
//   auto list = http::ParseListRequest(req);
//   static constexpr http::ListField kFields[] = {{"name", "c.name", true, false}, ...};
//   auto clauses = http::BuildListClauses(list, kFields, /*first_placeholder=*/2);
//   ... SELECT COUNT(*) ... WHERE x = $1 <clauses.where>
//   auto page = http::ComputePage(list, total);
//   ... SELECT ... WHERE x = $1 <clauses.where> <clauses.order_by> LIMIT <page.limit> OFFSET <page.offset>
//   return http::Response::Json(200, http::PaginatedJson(std::move(rows), page));
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/db/param.h"
#include "core/http/types.h"

namespace pocketid::http {

inline constexpr int64_t kDefaultPageSize = 20;
inline constexpr int64_t kMaxPageSize = 100;

// A filter value converted the way Pocket ID does it: the trimmed text "true"/"false" becomes a bool, an integer
// an int64, another number a double, anything else stays (trimmed) text. The column is then compared with `IN`,
// so a boolean filter matches SQLite's 0/1 as well as PostgreSQL's booleans.
using FilterValue = std::variant<bool, int64_t, double, std::string>;
FilterValue ConvertFilterValue(std::string_view raw);
db::Param ToParam(const FilterValue& value);

struct ListRequest {
  int64_t page = 0;   // as sent; 0 when absent (ComputePage clamps)
  int64_t limit = 0;  // as sent; 0 when absent
  std::string sort_column;
  std::string sort_direction;  // as sent
  // filters[<field>] and filters[<field>][N], in query order per field.
  std::map<std::string, std::vector<FilterValue>, std::less<>> filters;

  // "asc"/"desc" in any case with surrounding spaces.
  bool HasValidSortDirection() const;
  // "desc" for a valid descending direction, "asc" otherwise (Pocket ID's default).
  std::string_view NormalizedSortDirection() const;
  // The first value of filters[name] when it is a boolean (Pocket ID's `hasLaunchURL` style filters).
  std::optional<bool> BoolFilter(std::string_view name) const;
};


// Reads the list parameters from the query string. As in Pocket ID, a page or limit that is not an integer
// makes the whole request fall back to the defaults (no sort, no filters).
ListRequest ParseListRequest(const Request& req);

// One field an endpoint exposes for sorting and/or filtering: the API name (camelCase, matched with the first
// letter case-insensitively as Pocket ID capitalises it) and the SQL expression it stands for.
struct ListField {
  std::string_view name;
  std::string_view column;
  bool sortable = false;
  bool filterable = false;
};

struct ListClauses {
  std::string where;     // " AND <col> IN ($n, ...)" per honoured filter; empty when none
  std::string order_by;  // " ORDER BY <col> ASC|DESC[, <tie_breaker>]"; empty when no honoured sort column
  std::vector<FilterValue> params;  // the filter values for $first_placeholder, $first_placeholder+1, ...
};

// Filters on non-filterable or unknown fields and sorting on non-sortable ones are ignored, as in Pocket ID.
// `tie_breaker` (e.g. "c.id") is appended to a non-empty ORDER BY so that pages do not overlap when the sort
// column has equal values.
ListClauses BuildListClauses(const ListRequest& list, std::span<const ListField> fields, int first_placeholder,
                             std::string_view tie_breaker = {});

// The requested page clamped to what exists: limit 1..100 (default 20), page ≥ 1 and ≤ total pages; an empty
// result still has one page.
struct Page {
  int64_t current_page = 1;
  int64_t items_per_page = kDefaultPageSize;
  int64_t total_items = 0;
  int64_t total_pages = 1;

  int64_t offset() const { return (current_page - 1) * items_per_page; }
  // " LIMIT <n> OFFSET <m>" (numbers we computed, never caller text).
  std::string LimitClause() const;
};
Page ComputePage(const ListRequest& list, int64_t total_items);

// {"totalPages","totalItems","currentPage","itemsPerPage"}.
boost::json::object PaginationJson(const Page& page);
// {"data": data, "pagination": {...}}.
boost::json::object PaginatedJson(boost::json::array data, const Page& page);

}  // namespace pocketid::http
