#include "apis/api_dto.h"

#include <boost/json.hpp>

namespace pocketid::apis {

namespace {

boost::json::array Ids(const std::vector<std::string>& ids) {
  boost::json::array out;
  for (const auto& id : ids) out.emplace_back(id);
  return out;
}

// The grant fields and the read-only CIMD ones, added to a row that names its API or client.
boost::json::object WithGrant(boost::json::object row, const ClientGrant& grant, const CimdGrant& cimd) {
  for (auto& [key, value] : ClientGrantDto(grant)) row[key] = value;
  row["cimdGrantedAccess"] = cimd.access;
  row["cimdGrantedPermissionIds"] = Ids(cimd.permission_ids);
  return row;
}

}  // namespace

boost::json::object ApiDto(const Api& api) {
  boost::json::array permissions;
  for (const auto& p : api.permissions) {
    boost::json::object o{{"id", p.id}, {"key", p.key}, {"name", p.name}};
    if (p.description) o["description"] = *p.description;
    o["allowedForCimdClients"] = p.allowed_for_cimd_clients;
    permissions.push_back(std::move(o));
  }
  return boost::json::object{{"id", api.id},
                             {"name", api.name},
                             {"resource", api.audience},
                             {"createdAt", db::FormatRfc3339(api.created_at)},
                             {"permissions", std::move(permissions)},
                             {"allowCimdClients", api.allow_cimd_clients}};
}

boost::json::object ApiClientDto(const oidcclients::Client& client) {
  return boost::json::object{{"id", client.id},
                             {"name", client.name},
                             {"clientType", client.client_type},
                             {"isPublic", client.is_public},
                             {"hasLogo", client.has_logo()},
                             {"hasDarkLogo", client.has_dark_logo()}};
}

boost::json::object ClientGrantDto(const ClientGrant& grant) {
  return boost::json::object{{"userDelegatedAccess", grant.user_delegated_access},
                             {"clientAccess", grant.client_access},
                             {"userDelegatedPermissionIds", Ids(grant.user_delegated_permission_ids)},
                             {"clientPermissionIds", Ids(grant.client_permission_ids)}};
}

boost::json::object ApiClientAccessDto(const ApiClientAccess& row) {
  return WithGrant(boost::json::object{{"client", ApiClientDto(row.client)}}, row.grant, row.cimd);
}

boost::json::object ClientApiAccessDto(const ClientApiAccess& row) {
  return WithGrant(boost::json::object{{"api", ApiDto(row.api)}}, row.grant, row.cimd);
}

}  // namespace pocketid::apis
