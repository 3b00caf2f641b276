// The request bodies of the client admin API (management.md §1.5) read and validated as Pocket ID's DTOs are:
// OidcClientCreateDto / OidcClientUpdateDto, OidcClientSecretCreateDto and OidcUpdateAllowedUserGroupsDto.
// A value of the wrong JSON type is 400 invalid_request_body; rule violations are collected in field order into
// one 400 validation_failed ("Name is required, CallbackURLs[0] is invalid").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/db/timestamp.h"
#include "core/http/api_error.h"
#include "oidcclients/client.h"

namespace pocketid::oidcclients {

struct ClientInput {
  std::optional<std::string> id;  // create only; nullopt = generate a UUID
  std::string name;
  std::string description;
  std::vector<std::string> callback_urls;
  std::vector<std::string> logout_callback_urls;
  bool is_public = false;
  bool pkce_enabled = false;
  bool requires_reauthentication = false;
  bool requires_pushed_authorization_requests = false;
  bool skip_consent = false;
  bool is_group_restricted = false;
  std::vector<FederatedIdentity> federated_identities;
  std::optional<std::string> launch_url;
  std::optional<std::string> logo_url;
  std::optional<std::string> dark_logo_url;
  int64_t access_token_duration_minutes = 0;   // 0 = the default (60)
  int64_t refresh_token_duration_minutes = 0;  // 0 = the default (43200)

  int64_t AccessTokenMinutesOrDefault() const;
  int64_t RefreshTokenMinutesOrDefault() const;
};

// `with_id`: the create DTO (reads and validates `id`).
http::ApiResult<ClientInput> ParseClientInput(const boost::json::object& body, bool with_id);

struct SecretInput {
  std::optional<std::string> secret;  // caller-chosen value; nullopt = generate
  std::optional<db::Timestamp> expires_at;
};

// The optional body of POST .../secrets: an empty body is fine (no Content-Type needed then). `now` decides
// whether expiresAt lies in the future.
http::ApiResult<SecretInput> ParseSecretInput(const http::Request& req, db::Timestamp now);

// {"userGroupIds": [string]} (required; an empty list clears the groups).
http::ApiResult<std::vector<std::string>> ParseAllowedGroupsInput(const http::Request& req);

// Pocket ID's client id rule: ^[a-zA-Z0-9._-]+$ (CIMD URL ids fail it).
bool IsValidClientId(std::string_view id);

// go-playground's `url` rule (launchURL): a scheme and a host, fragment or opaque part; file:/ URLs pass.
bool IsValidUrl(std::string_view url);

// Strict RFC 3339 as Go's time.Time JSON decoding reads it ("2030-01-02T03:04:05Z", "...+02:00", fractions).
std::optional<db::Timestamp> ParseRfc3339(std::string_view text);

}  // namespace pocketid::oidcclients
