// What an OAuth grant remembers between requests, in the `request_data` JSON shape Pocket ID (fosite's
// storedRequester + Pocket ID's oidc.Session) uses, so rows written by either server read the same
// (protocol.md §2.7).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/status/status.h"
#include "oidc/form.h"

namespace pocketid::oidc {

// Pocket ID's oidc.Session: who signed in, how, and the ID-token claims frozen at authorization time.
struct GrantSession {
  std::string subject;                // user id ("" for client credentials)
  std::string authentication_method;  // "phr" | "otp" | ""
  std::string id_token_jti;           // fixed per login; "" on rows written by a refresh
  std::string nonce;
  int64_t auth_time = 0;
  int64_t requested_at = 0;
  std::string acr;
  boost::json::object id_token_extra;  // the user claims (+ "type":"id-token")
  std::string alg;                     // headers.extra.alg
  std::optional<int64_t> access_token_expires_at;
  std::optional<int64_t> refresh_token_expires_at;
  std::optional<int64_t> authorize_code_expires_at;
};

// fosite's numbering, stored as `user_code_state` in request_data.
enum class UserCodeState { kUnused = 0, kAccepted = 1, kRejected = 2 };

struct StoredRequest {
  std::string id;  // fosite request id: the token family
  int64_t requested_at = 0;
  std::string client_id;
  std::vector<std::string> requested_scope;
  std::vector<std::string> granted_scope;
  std::vector<std::string> requested_audience;
  std::vector<std::string> granted_audience;
  Form form;  // the request's parameters (never client_secret / client_assertion)
  GrantSession session;
  // Device authorization requests only (RFC 8628): the user code's state.
  bool device = false;
  UserCodeState user_code_state = UserCodeState::kUnused;
  // Authorization requests only.
  bool authorize = false;
  std::vector<std::string> response_types;
  std::string redirect_uri;  // as sent ("" when the client relied on its single registered URI)
  std::string state;
  std::string response_mode;
  std::string default_response_mode;
};

std::string StoredRequestJson(const StoredRequest& request);
// kDataLoss when the JSON is not an object; missing members read as empty.
StatusOr<StoredRequest> ParseStoredRequest(std::string_view json);

}  // namespace pocketid::oidc
