#include "audit/log_store.h"

#include <array>
#include <variant>

#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>

#include "users/user.h"

namespace pocketid::audit {

namespace {

// The sortable/filterable fields of Pocket ID's AuditLog model. userId is filtered separately (UserIdClause).
constexpr std::array<http::ListField, 6> kLogFields{{
    {"createdAt", "a.created_at", true, false},
    {"event", "a.event", true, true},
    {"ipAddress", "a.ip_address", true, false},
    {"country", "a.country", true, false},
    {"city", "a.city", true, false},
    {"userAgent", "a.user_agent", true, false},
}};

std::string_view ClientNameExpression(db::Engine engine) {
  // SQLite keeps `data` as a BLOB, which json_extract refuses before SQLite 3.45: read it as text.
  return engine == db::Engine::kSqlite ? "json_extract(CAST(a.data AS TEXT), '$.clientName')" : "a.data->>'clientName'";
}

std::string FilterText(const http::FilterValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  std::string d = std::to_string(std::get<double>(v));
  while (d.size() > 1 && d.back() == '0') d.pop_back();
  if (!d.empty() && d.back() == '.') d.pop_back();
  return d;
}

// " AND <expr> IN ($n, ...)" over `values`, appending them to `params`; "" when there are none.
std::string InClause(std::string_view expr, const std::vector<std::string>& values, std::vector<db::Param>& params) {
  if (values.empty()) return "";
  std::string sql = " AND " + std::string(expr) + " IN (";
  for (size_t i = 0; i < values.size(); ++i) {
    params.emplace_back(values[i]);
    sql += (i ? ", $" : "$") + std::to_string(params.size());
  }
  return sql + ")";
}

const std::vector<http::FilterValue>* FilterValues(const http::ListRequest& list, std::string_view name) {
  auto it = list.filters.find(name);
  return it == list.filters.end() || it->second.empty() ? nullptr : &it->second;
}

// filters[userId]. On PostgreSQL user_id is a uuid, which refuses other text with an error: such a value simply
// matches nothing.
std::string UserIdClause(db::Engine engine, const http::ListRequest& list, std::vector<db::Param>& params) {
  const auto* values = FilterValues(list, "userId");
  if (!values) return "";
  std::vector<std::string> ids;
  for (const auto& v : *values) {
    std::string id = FilterText(v);
    if (engine == db::Engine::kSqlite || users::LooksLikeUuid(id)) ids.push_back(std::move(id));
  }
  if (ids.empty()) return " AND 1 = 0";
  return InClause("a.user_id", ids, params);
}

std::string ClientNameClause(db::Engine engine, const http::ListRequest& list, std::vector<db::Param>& params) {
  const auto* values = FilterValues(list, "clientName");
  if (!values) return "";
  std::vector<std::string> names;
  for (const auto& v : *values) names.push_back(FilterText(v));
  return InClause(ClientNameExpression(engine), names, params);
}

// filters[location]: Pocket ID maps "external" to a country no row has ("External Network"), so that choice of
// its UI never shows anything. We match what the word means: every row outside the internal network.
std::string LocationClause(const http::ListRequest& list) {
  const auto* values = FilterValues(list, "location");
  if (!values) return "";
  std::vector<std::string> conditions;
  for (const auto& v : *values) {
    std::string value = FilterText(v);
    if (value == "internal") conditions.emplace_back("a.country = 'Internal Network'");
    if (value == "external") conditions.emplace_back("COALESCE(a.country, '') <> 'Internal Network'");
  }
  if (conditions.empty()) return "";
  std::string sql = " AND (";
  for (size_t i = 0; i < conditions.size(); ++i) sql += (i ? " OR " : "") + conditions[i];
  return sql + ")";
}

std::vector<std::pair<std::string, std::string>> ParseData(const std::string& json) {
  std::vector<std::pair<std::string, std::string>> out;
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return out;
  for (const auto& [k, v] : value.as_object()) {
    if (v.is_string()) out.emplace_back(std::string(k), std::string(v.as_string()));
  }
  return out;
}

LogEntry EntryFromRow(const db::Row& row, bool with_username) {
  LogEntry e;
  e.id = row.Text("id");
  e.created_at = row.Time("created_at");
  e.event = row.Text("event");
  e.ip_address = row.OptionalText("ip_address").value_or("");
  e.country = row.OptionalText("country").value_or("");
  e.city = row.OptionalText("city").value_or("");
  e.user_agent = row.OptionalText("user_agent").value_or("");
  e.user_id = row.OptionalText("user_id").value_or("");
  if (with_username) e.username = row.OptionalText("username").value_or("");
  e.data = ParseData(row.Text("data"));
  return e;
}

}  // namespace

StatusOr<LogPage> LogStore::List(std::string where, std::vector<db::Param> params, const http::ListRequest& list,
                                 bool with_username) {
  db::Engine engine = database_.engine();
  where += UserIdClause(engine, list, params);
  auto clauses = http::BuildListClauses(list, kLogFields, static_cast<int>(params.size()) + 1, "a.id");
  for (const auto& v : clauses.params) params.push_back(http::ToParam(v));
  where += clauses.where;

  std::string from = " FROM audit_logs a";
  if (with_username) from += " LEFT JOIN users u ON u.id = a.user_id";
  from += " WHERE 1 = 1" + where;
  PID_ASSIGN_OR_RETURN(auto count, database_.Query("SELECT COUNT(*)" + from, params));
  LogPage out;
  out.page = http::ComputePage(list, count.empty() ? 0 : count[0].Int(0));
  std::string columns = "a.id, a.created_at, a.event, a.ip_address, a.country, a.city, a.user_agent, a.user_id, a.data";
  if (with_username) columns += ", u.username";
  PID_ASSIGN_OR_RETURN(auto rows,
                       database_.Query("SELECT " + columns + from + clauses.order_by + out.page.LimitClause(), params));
  for (const auto& row : rows) out.items.push_back(EntryFromRow(row, with_username));
  return out;
}

StatusOr<LogPage> LogStore::ListForUser(std::string_view user_id, const http::ListRequest& list) {
  return List(" AND a.user_id = $1", {std::string(user_id)}, list, false);
}

StatusOr<LogPage> LogStore::ListAll(const http::ListRequest& list) {
  std::vector<db::Param> params;
  std::string where = ClientNameClause(database_.engine(), list, params);
  where += LocationClause(list);
  return List(std::move(where), std::move(params), list, true);
}

StatusOr<std::vector<std::string>> LogStore::ClientNames() {
  std::string expr(ClientNameExpression(database_.engine()));
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT DISTINCT " + expr + " AS client_name FROM audit_logs a "
                                                  "WHERE " + expr + " IS NOT NULL ORDER BY 1"));
  std::vector<std::string> out;
  for (const auto& row : rows) out.push_back(row.Text(0));
  return out;
}

StatusOr<std::vector<std::pair<std::string, std::string>>> LogStore::UsersWithLogs() {
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT DISTINCT u.id, u.username FROM audit_logs a "
                                                  "JOIN users u ON u.id = a.user_id ORDER BY u.id"));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& row : rows) out.emplace_back(row.Text(0), row.Text(1));
  return out;
}

}  // namespace pocketid::audit
