#include "groups/group_dto.h"

#include <boost/json.hpp>

namespace pocketid::groups {

namespace {

boost::json::value OptionalText(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  return boost::json::string(*v);
}

boost::json::array ClaimsJson(const std::vector<customclaims::Claim>& claims) {
  boost::json::array out;
  for (const auto& c : claims) out.push_back(boost::json::object{{"key", c.key}, {"value", c.value}});
  return out;
}

boost::json::object MemberDto(const users::User& u) {
  return boost::json::object{{"id", u.id},
                             {"username", u.username},
                             {"email", OptionalText(u.email)},
                             {"emailVerified", u.email_verified},
                             {"firstName", u.first_name},
                             {"lastName", u.last_name},
                             {"displayName", u.display_name},
                             {"isAdmin", u.is_admin},
                             {"locale", OptionalText(u.locale)},
                             {"customClaims", boost::json::array()},
                             {"userGroups", boost::json::array()},
                             {"ldapId", OptionalText(u.ldap_id)},
                             {"disabled", u.disabled}};
}

}  // namespace

boost::json::object GroupMinimalDto(const GroupSummary& s) {
  return boost::json::object{{"id", s.group.id},
                             {"friendlyName", s.group.friendly_name},
                             {"name", s.group.name},
                             {"customClaims", ClaimsJson(s.claims)},
                             {"userCount", s.user_count},
                             {"ldapId", OptionalText(s.group.ldap_id)},
                             {"createdAt", db::FormatRfc3339(s.group.created_at)}};
}

boost::json::object GroupDto(const GroupDetails& d) {
  boost::json::array users;
  for (const auto& u : d.members) users.push_back(MemberDto(u));
  boost::json::array clients;
  for (const auto& c : d.allowed_clients) clients.push_back(oidcclients::MetaDataDto(c));
  return boost::json::object{{"id", d.group.id},
                             {"friendlyName", d.group.friendly_name},
                             {"name", d.group.name},
                             {"customClaims", ClaimsJson(d.claims)},
                             {"ldapId", OptionalText(d.group.ldap_id)},
                             {"createdAt", db::FormatRfc3339(d.group.created_at)},
                             {"users", std::move(users)},
                             {"allowedOidcClients", std::move(clients)}};
}

}  // namespace pocketid::groups
