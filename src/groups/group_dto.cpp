#include "groups/group_dto.h"

#include <boost/json.hpp>

#include "users/user.h"

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
  // Members without their claims and groups, as Pocket ID preloads them.
  for (const auto& u : d.members) users.push_back(users::UserDtoJson(u, {}, {}));
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
