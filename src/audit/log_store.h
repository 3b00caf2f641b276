// Reading the audit log back (management.md §1.10): a user's own entries, everybody's for admins (with the
// clientName and location filters), and the values the admin filters offer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/db/database.h"
#include "core/http/pagination.h"

namespace pocketid::audit {

struct LogEntry {
  std::string id;
  db::Timestamp created_at;
  std::string event;
  std::string ip_address;  // "" when NULL
  std::string country;
  std::string city;
  std::string user_agent;
  std::string user_id;   // "" when NULL
  std::string username;  // filled by ListAll only
  std::vector<std::pair<std::string, std::string>> data;
};

struct LogPage {
  std::vector<LogEntry> items;
  http::Page page;
};

class LogStore {
 public:
  explicit LogStore(db::Database& database) : database_(database) {}

  // The user's own entries: filters[event] (and filters[userId], which can only narrow it further).
  StatusOr<LogPage> ListForUser(std::string_view user_id, const http::ListRequest& list);
  // Everybody's, with the username: plus filters[clientName] (data.clientName) and filters[location]
  // (internal = country "Internal Network", external = any other country, including unknown).
  StatusOr<LogPage> ListAll(const http::ListRequest& list);
  // Distinct non-null data.clientName values, sorted.
  StatusOr<std::vector<std::string>> ClientNames();
  // (user id, username) of every user that has at least one entry, by id.
  StatusOr<std::vector<std::pair<std::string, std::string>>> UsersWithLogs();

 private:
  StatusOr<LogPage> List(std::string where, std::vector<db::Param> params, const http::ListRequest& list,
                         bool with_username);

  db::Database& database_;
};

}  // namespace pocketid::audit
