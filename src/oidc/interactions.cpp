#include "oidc/interactions.h"

#include <charconv>

#include <boost/json.hpp>

#include "oidcclients/client.h"

namespace pocketid::oidc {

namespace {

std::string ParametersJson(const std::vector<std::pair<std::string, std::string>>& params) {
  boost::json::object o;
  for (const auto& [k, v] : params) o[k] = v;
  return boost::json::serialize(o);
}

std::vector<std::pair<std::string, std::string>> ParseParameters(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [k, val] : v.as_object()) {
    if (val.is_string()) out.emplace_back(std::string(k), std::string(val.as_string()));
  }
  return out;
}

std::optional<db::Timestamp> OptTime(const std::optional<int64_t>& t) {
  if (!t) return std::nullopt;
  return db::Timestamp{*t};
}

}  // namespace

std::vector<std::string> Interaction::RequiredSteps() const {
  std::vector<std::string> steps;
  if (authentication_required) steps.emplace_back("authenticate");
  if (account_selection_required) steps.emplace_back("select_account");
  if (reauthentication_required) steps.emplace_back("reauthenticate");
  if (consent_required) steps.emplace_back("consent");
  return steps;
}

std::string Interaction::Parameter(std::string_view key) const {
  for (const auto& [k, v] : parameters) {
    if (k == key) return v;
  }
  return {};
}

Status InteractionStore::Create(const Interaction& i) {
  return database_
      .Exec("INSERT INTO interaction_sessions (id, created_at, consent_required, reauthentication_required, "
            "authentication_required, account_selection_required, scopes, client_id, user_id, requested_at, "
            "reauthenticated_at, parameters) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            {i.id, db::Timestamp{i.created_at}, i.consent_required, i.reauthentication_required,
             i.authentication_required, i.account_selection_required,
             db::Json{oidcclients::StringListJson(i.scopes)}, i.client_id, i.user_id, db::Timestamp{i.requested_at},
             OptTime(i.reauthenticated_at), db::Json{ParametersJson(i.parameters)}})
      .status();
}

StatusOr<std::optional<Interaction>> InteractionStore::Find(std::string_view id) {
  db::Timestamp oldest{db::Now().unix_seconds - kInteractionLifetimeSeconds};
  PID_ASSIGN_OR_RETURN(
      auto rows,
      database_.Query("SELECT id, created_at, consent_required, reauthentication_required, authentication_required, "
                      "account_selection_required, scopes, client_id, user_id, requested_at, reauthenticated_at, "
                      "parameters FROM interaction_sessions WHERE id = $1 AND created_at > $2",
                      {id, oldest}));
  if (rows.empty()) return std::optional<Interaction>();
  const auto r = rows[0];
  Interaction i;
  i.id = r.Text(0);
  i.created_at = r.Time(1).unix_seconds;
  i.consent_required = r.Bool(2);
  i.reauthentication_required = r.Bool(3);
  i.authentication_required = r.Bool(4);
  i.account_selection_required = r.Bool(5);
  i.scopes = oidcclients::ParseStringList(r.Text(6));
  i.client_id = r.Text(7);
  i.user_id = r.OptionalText(8);
  i.requested_at = r.Time(9).unix_seconds;
  if (auto t = r.OptionalTime(10)) i.reauthenticated_at = t->unix_seconds;
  i.parameters = ParseParameters(r.Text(11));
  return std::optional<Interaction>(std::move(i));
}

Status InteractionStore::Update(const Interaction& i) {
  return database_
      .Exec("UPDATE interaction_sessions SET consent_required = $1, reauthentication_required = $2, "
            "authentication_required = $3, account_selection_required = $4, user_id = $5, reauthenticated_at = $6 "
            "WHERE id = $7",
            {i.consent_required, i.reauthentication_required, i.authentication_required, i.account_selection_required,
             i.user_id, OptTime(i.reauthenticated_at), i.id})
      .status();
}

StatusOr<bool> InteractionStore::DeleteWith(db::Connection& conn, std::string_view id) {
  PID_ASSIGN_OR_RETURN(auto n, conn.Exec("DELETE FROM interaction_sessions WHERE id = $1", {id}));
  return n > 0;
}

std::variant<bool, OAuthError> MaxAgeExceeded(std::string_view raw, int64_t auth_time, int64_t now) {
  if (raw.empty()) return false;
  int64_t max_age = 0;
  auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), max_age);
  if (ec != std::errc() || ptr != raw.data() + raw.size() || max_age < 0) {
    return errors::InvalidRequest("Parameter 'max_age' must be a non-negative integer.");
  }
  if (auth_time == 0) return true;
  return now >= auth_time + max_age;
}

UserSteps StepsForUser(const oidcclients::Client& client, bool prompt_consent, bool prompt_login,
                       bool already_authorized, bool max_age_exceeded) {
  return {prompt_consent || (!already_authorized && !client.skip_consent),
          prompt_login || client.requires_reauthentication || max_age_exceeded};
}

}  // namespace pocketid::oidc
