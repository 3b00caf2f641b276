#include "core/db/connection.h"

namespace pocketid::db {

std::string_view EngineName(Engine engine) { return engine == Engine::kPostgres ? "postgres" : "sqlite"; }

StatusOr<int64_t> Connection::Exec(std::string_view sql, std::span<const Param> params) {
  PID_ASSIGN_OR_RETURN(ResultSet rs, Query(sql, params));
  return rs.rows_affected();
}

}  // namespace pocketid::db
