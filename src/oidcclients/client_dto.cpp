#include "oidcclients/client_dto.h"

namespace pocketid::oidcclients {

namespace {

boost::json::array Strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

boost::json::object FederatedIdentityDto(const FederatedIdentity& f) {
  boost::json::object o{{"issuer", f.issuer}};
  if (!f.subject.empty()) o["subject"] = f.subject;
  if (!f.audience.empty()) o["audience"] = f.audience;
  if (!f.jwks.empty()) o["jwks"] = f.jwks;
  o["replayProtection"] = f.replay_protection;
  return o;
}

}  // namespace

boost::json::object SecretDto(const ClientSecret& secret, db::Timestamp now) {
  return boost::json::object{
      {"id", secret.id},
      {"prefix", secret.prefix},
      {"createdAt", db::FormatRfc3339(secret.created_at)},
      {"expiresAt",
       secret.expires_at ? boost::json::value(db::FormatRfc3339(*secret.expires_at)) : boost::json::value(nullptr)},
      {"isActive", secret.ActiveAt(now)},
  };
}

boost::json::object ClientDto(const Client& client, db::Timestamp now) {
  boost::json::object o = MetaDataDto(client);
  o["callbackURLs"] = Strings(client.callback_urls);
  o["logoutCallbackURLs"] = Strings(client.logout_callback_urls);
  o["isPublic"] = client.is_public;
  o["pkceEnabled"] = client.pkce_enabled;
  o["requiresPushedAuthorizationRequests"] = client.requires_pushed_authorization_requests;
  o["skipConsent"] = client.skip_consent;
  boost::json::object credentials;
  if (!client.credentials.federated_identities.empty()) {
    boost::json::array list;
    for (const auto& f : client.credentials.federated_identities) list.push_back(FederatedIdentityDto(f));
    credentials["federatedIdentities"] = std::move(list);
  }
  boost::json::array secrets;
  for (const auto& s : client.credentials.secrets) secrets.push_back(SecretDto(s, now));
  credentials["secrets"] = std::move(secrets);
  o["credentials"] = std::move(credentials);
  o["isGroupRestricted"] = client.is_group_restricted;
  if (client.pkce_supported) o["pkceSupported"] = true;
  o["accessTokenDurationMinutes"] = client.access_token_duration_minutes;
  o["refreshTokenDurationMinutes"] = client.refresh_token_duration_minutes;
  return o;
}

boost::json::object GroupMinimalDto(const AllowedGroup& group) {
  boost::json::array claims;
  for (const auto& [key, value] : group.custom_claims) claims.push_back(boost::json::object{{"key", key}, {"value", value}});
  return boost::json::object{
      {"id", group.id},
      {"friendlyName", group.friendly_name},
      {"name", group.name},
      {"customClaims", std::move(claims)},
      {"userCount", group.user_count},
      {"ldapId", group.ldap_id ? boost::json::value(*group.ldap_id) : boost::json::value(nullptr)},
      {"createdAt", db::FormatRfc3339(group.created_at)},
  };
}

boost::json::object ClientWithGroupsDto(const Client& client, const std::vector<AllowedGroup>& groups,
                                        db::Timestamp now) {
  boost::json::object o = ClientDto(client, now);
  boost::json::array list;
  for (const auto& g : groups) list.push_back(GroupMinimalDto(g));
  o["allowedUserGroups"] = std::move(list);
  return o;
}

boost::json::object ClientListItemDto(const ClientListItem& item, db::Timestamp now) {
  boost::json::object o = ClientDto(item.client, now);
  o["allowedUserGroupsCount"] = item.allowed_user_groups_count;
  return o;
}

boost::json::object AuthorizedClientDto(const AuthorizedClient& item) {
  std::string scope;
  for (const auto& s : item.scope) {
    if (!scope.empty()) scope += " ";
    scope += s;
  }
  return boost::json::object{
      {"scope", scope},
      {"client", MetaDataDto(item.client)},
      {"lastUsedAt", db::FormatRfc3339(item.last_used_at)},
  };
}

boost::json::object AccessibleClientDto(const AccessibleClient& item) {
  boost::json::object o = MetaDataDto(item.client);
  o["requiresReauthentication"] = false;
  o["lastUsedAt"] =
      item.last_used_at ? boost::json::value(db::FormatRfc3339(*item.last_used_at)) : boost::json::value(nullptr);
  return o;
}

}  // namespace pocketid::oidcclients
