#include "signup/setup.h"

#include <mutex>

#include "core/http/json_body.h"
#include "users/validation.h"

namespace pocketid::signup {

namespace {

http::ApiError SetupNotAvailable() { return {404, "setup_not_available", "Not found", {}}; }
http::ApiError SetupAlreadyCompleted() {
  return {409, "setup_already_completed", "Setup has already been completed", {}};
}

http::Response Status(const Deps& d, http::Request& req) {
  auto count = d.users.CountRealUsers();
  if (!count.ok()) return http::ErrorResponse(req, http::InternalFromStatus(count.status(), "count users"));
  if (*count > 0) return http::ErrorResponse(req, SetupNotAvailable());
  return http::Response::NoContent();
}

http::Response CreateAdmin(const Deps& d, http::Request& req) {
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return http::ErrorResponse(req, *e);
  auto settings = d.app_config.Load();
  if (!settings.ok()) return http::ErrorResponse(req, http::InternalFromStatus(settings.status(), "app config"));
  auto input = users::ParseProfile(std::get<boost::json::object>(body), settings->GetBool("requireUserEmail"));
  if (auto* e = std::get_if<http::ApiError>(&input)) return http::ErrorResponse(req, *e);
  users::NewUser admin = std::get<users::ProfileInput>(input).user;
  // Only the admin API may choose an id or create a disabled user; this route is public.
  admin.id.reset();
  admin.disabled = false;
  admin.is_admin = true;
  admin.email_verified = settings->GetBool("emailsVerified");
  // Setup's display name is always first + last name.
  admin.display_name = admin.first_name + (admin.last_name.empty() ? "" : " " + admin.last_name);

  // Two browsers finishing setup at once must not both become admin: the check and the insert share one
  // write transaction (SQLite BEGIN IMMEDIATE; PostgreSQL locks the users table).
  std::optional<users::User> created;
  std::optional<http::ApiError> refused;
  pocketid::Status tx = d.database.InTransaction([&](db::Connection& conn) -> pocketid::Status {
    if (conn.engine() == db::Engine::kPostgres) {
      PID_RETURN_IF_ERROR(conn.Exec("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE").status());
    }
    PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT COUNT(*) FROM users WHERE id <> $1",
                                               {users::kStaticApiUserId}));
    if (rows[0].Int(0) > 0) {
      refused = SetupAlreadyCompleted();
      return pocketid::Status::Ok();
    }
    auto user = users::UserRepository::CreateWith(conn, admin);
    if (!user.ok()) return user.status();
    created = std::move(*user);
    return pocketid::Status::Ok();
  });
  if (refused) return http::ErrorResponse(req, *refused);
  if (!tx.ok()) return http::ErrorResponse(req, http::InternalFromStatus(tx, "create first admin"));
  return auth::SignedInResponse(req, d.sign_in, *created, auth::kAmrOneTime);
}

}  // namespace

void RegisterSetupRoutes(http::Router& router, Deps deps) {
  router.Add(http::Method::kGet, "/api/signup/setup", [deps](http::Request& req) { return Status(deps, req); });
  router.Add(http::Method::kPost, "/api/signup/setup", [deps](http::Request& req) { return CreateAdmin(deps, req); });
}

}  // namespace pocketid::signup
