#include "core/http/pagination.h"

#include <cctype>
#include <charconv>
#include <cmath>

#include "core/http/form.h"

namespace pocketid::http {

namespace {

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, nothing else.
std::optional<int64_t> ParseGoInt(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.front() == '+') return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Go's strconv.ParseFloat for the plain decimal forms a query carries ("1.5", "-2e3"); rejects inf/nan words.
std::optional<double> ParseGoFloat(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.front() == '+') return std::nullopt;
  for (char c : s) {
    if (std::isalpha(static_cast<unsigned char>(c)) && c != 'e' && c != 'E') return std::nullopt;
  }
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Pocket ID looks fields up by their Go name, i.e. the API name with its first letter capitalised.
bool SameFieldName(std::string_view requested, std::string_view field) {
  if (requested.empty() || requested.size() != field.size()) return false;
  return std::toupper(static_cast<unsigned char>(requested[0])) == std::toupper(static_cast<unsigned char>(field[0])) &&
         requested.substr(1) == field.substr(1);
}

const ListField* FindField(std::span<const ListField> fields, std::string_view name) {
  for (const auto& f : fields) {
    if (SameFieldName(name, f.name)) return &f;
  }
  return nullptr;
}

}  // namespace

FilterValue ConvertFilterValue(std::string_view raw) {
  std::string_view v = TrimSpace(raw);
  if (v == "true") return true;
  if (v == "false") return false;
  if (auto i = ParseGoInt(v)) return *i;
  if (auto d = ParseGoFloat(v)) return *d;
  return std::string(v);
}

db::Param ToParam(const FilterValue& value) {
  return std::visit([](const auto& v) { return db::Param(v); }, value);
}

bool ListRequest::HasValidSortDirection() const {
  std::string_view d = TrimSpace(sort_direction);
  return EqualsIgnoreCase(d, "asc") || EqualsIgnoreCase(d, "desc");
}

std::string_view ListRequest::NormalizedSortDirection() const {
  return EqualsIgnoreCase(TrimSpace(sort_direction), "desc") ? "desc" : "asc";
}

std::optional<bool> ListRequest::BoolFilter(std::string_view name) const {
  auto it = filters.find(name);
  if (it == filters.end() || it->second.empty()) return std::nullopt;
  if (const bool* b = std::get_if<bool>(&it->second.front())) return *b;
  return std::nullopt;
}

ListRequest ParseListRequest(const Request& req) {
  ListRequest out;
  if (req.query.empty()) return out;
  // Go's url.ParseQuery (core/http/form.h): browsers send the brackets of `pagination[page]` unencoded.
  Form query;
  query.AddEncoded(req.query);  // malformed pairs are skipped, as Go does
  const auto& params = query.pairs();

  // gin binds the first value of each form key; an empty value reads as 0.
  auto first = [&](std::string_view key) -> std::optional<std::string> {
    for (const auto& [k, v] : params) {
      if (k == key) return v;
    }
    return std::nullopt;
  };
  for (auto [key, target] : {std::pair{"pagination[page]", &out.page}, {"pagination[limit]", &out.limit}}) {
    auto raw = first(key);
    if (!raw) continue;
    auto v = raw->empty() ? std::optional<int64_t>(0) : ParseGoInt(*raw);
    if (!v) return ListRequest{};  // Pocket ID's bind error: every option falls back to its default
    *target = *v;
  }
  out.sort_column = first("sort[column]").value_or("");
  out.sort_direction = first("sort[direction]").value_or("");

  constexpr std::string_view kPrefix = "filters[";
  for (const auto& [k, v] : params) {
    std::string_view key = k;
    if (!key.starts_with(kPrefix)) continue;
    key.remove_prefix(kPrefix.size());
    auto close = key.find(']');
    if (close == std::string_view::npos) continue;
    out.filters[std::string(key.substr(0, close))].push_back(ConvertFilterValue(v));
  }
  return out;
}

ListClauses BuildListClauses(const ListRequest& list, std::span<const ListField> fields, int first_placeholder,
                             std::string_view tie_breaker) {
  ListClauses out;
  int next = first_placeholder;
  for (const auto& [name, values] : list.filters) {
    if (name.empty() || values.empty()) continue;
    const ListField* f = FindField(fields, name);
    if (f == nullptr || !f->filterable) continue;
    out.where += " AND " + std::string(f->column) + " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out.where += ", ";
      out.where += "$" + std::to_string(next++);
      out.params.push_back(values[i]);
    }
    out.where += ")";
  }
  if (const ListField* f = FindField(fields, list.sort_column); f != nullptr && f->sortable) {
    out.order_by = " ORDER BY " + std::string(f->column) +
                   (list.NormalizedSortDirection() == "desc" ? " DESC" : " ASC");
    if (!tie_breaker.empty()) out.order_by += ", " + std::string(tie_breaker);
  }
  return out;
}

std::string Page::LimitClause() const {
  return " LIMIT " + std::to_string(items_per_page) + " OFFSET " + std::to_string(offset());
}

Page ComputePage(const ListRequest& list, int64_t total_items) {
  Page p;
  p.items_per_page = list.limit < 1 ? kDefaultPageSize : std::min(list.limit, kMaxPageSize);
  p.total_items = total_items;
  p.total_pages = total_items == 0 ? 1 : (total_items + p.items_per_page - 1) / p.items_per_page;
  p.current_page = std::min(std::max<int64_t>(list.page, 1), p.total_pages);
  return p;
}

boost::json::object PaginationJson(const Page& page) {
  return boost::json::object{{"totalPages", page.total_pages},
                             {"totalItems", page.total_items},
                             {"currentPage", page.current_page},
                             {"itemsPerPage", page.items_per_page}};
}

boost::json::object PaginatedJson(boost::json::array data, const Page& page) {
  return boost::json::object{{"data", std::move(data)}, {"pagination", PaginationJson(page)}};
}

}  // namespace pocketid::http
