#include "oidc/api_resources.h"

#include <algorithm>
#include <boost/json.hpp>

#include "apis/api_access.h"
#include "apis/resource_indicator.h"
#include "oidc/claims.h"

namespace pocketid::oidc {

namespace {

bool AllStandard(const std::vector<std::string>& scopes) {
  return std::all_of(scopes.begin(), scopes.end(), [](const std::string& s) { return IsStandardScope(s); });
}

OAuthError UnknownResource(std::string_view resource) {
  return errors::InvalidTarget("The requested resource '" + std::string(resource) +
                               "' is invalid, missing, unknown, or malformed.");
}

}  // namespace

StatusOr<std::vector<std::string>> RequestableScopes(db::Database& database, const oidcclients::Client& client,
                                                     const std::vector<std::string>& requested) {
  std::vector<std::string> held;
  if (!AllStandard(requested)) {
    PID_ASSIGN_OR_RETURN(auto lease, database.Acquire());
    PID_ASSIGN_OR_RETURN(auto api_scopes,
                         apis::ClientScopesAndAudiences(*lease, client.id, client.client_type == "cimd"));
    held = std::move(api_scopes.scopes);
  }
  std::vector<std::string> out;
  for (const auto& s : requested) {
    if ((IsStandardScope(s) || HasScope(held, s)) && !HasScope(out, s)) out.push_back(s);
  }
  return out;
}

std::variant<std::string, OAuthError> ResourceParameter(const Form& form) {
  if (form.Count("resource") > 1) return errors::InvalidTarget("Only a single 'resource' parameter is supported.");
  return form.Get("resource");
}

StatusOr<std::variant<ResourceGrant, OAuthError>> ResolveResource(db::Database& database,
                                                                  const oidcclients::Client& client,
                                                                  std::string_view resource,
                                                                  const std::vector<std::string>& requested,
                                                                  apis::SubjectType subject) {
  using Result = std::variant<ResourceGrant, OAuthError>;
  ResourceGrant grant;
  std::vector<std::string> grantable(std::begin(kStandardScopes), std::end(kStandardScopes));
  std::vector<std::string> wanted = requested;
  if (resource.empty()) {
    grant.audience = client.id;  // a plain login token is audienced to its client
  } else {
    if (!apis::IsValidResourceIndicator(resource)) return Result(UnknownResource(resource));
    grant.resource = apis::CanonicalResource(resource);
    PID_ASSIGN_OR_RETURN(auto lease, database.Acquire());
    PID_ASSIGN_OR_RETURN(auto access, apis::AccessForAudience(*lease, client.id, grant.resource, subject));
    if (!access.api_exists) return Result(UnknownResource(grant.resource));
    if (!access.has_access) {
      return Result(
          errors::AccessDenied("The OAuth 2.0 Client is not allowed to access resource '" + grant.resource + "'."));
    }
    grant.audience = grant.resource;
    grantable.insert(grantable.end(), access.scopes.begin(), access.scopes.end());
    if (subject == apis::SubjectType::kClient && wanted.empty()) wanted = access.scopes;
  }
  for (const auto& s : wanted) {
    if (!HasScope(grantable, s)) {
      return Result(errors::InvalidScope("The scope '" + s + "' is not available for the requested resource."));
    }
    if (!HasScope(grant.scopes, s)) grant.scopes.push_back(s);
  }
  return Result(std::move(grant));
}

std::vector<std::string> ConsentKeysForGrant(std::string_view audience, std::string_view resource,
                                             const std::vector<std::string>& scopes) {
  std::vector<std::string> keys;
  for (const auto& s : scopes) keys.push_back(IsStandardScope(s) ? s : std::string(audience) + '\x1f' + s);
  if (!resource.empty()) keys.push_back(std::string(audience) + '\x1f');
  return keys;
}

std::vector<std::string> ConsentKeysForRequest(std::string_view client_id, std::string_view raw_resource,
                                               const std::vector<std::string>& scopes) {
  const std::string resource = apis::CanonicalResource(raw_resource);
  return ConsentKeysForGrant(resource.empty() ? client_id : std::string_view(resource), resource, scopes);
}

StatusOr<boost::json::array> ScopeInfo(db::Database& database, std::string_view resource,
                                       const std::vector<std::string>& scopes) {
  boost::json::array out;
  std::vector<std::string> custom;
  for (const auto& s : scopes) {
    if (!IsStandardScope(s)) custom.push_back(s);
  }
  if (resource.empty() || custom.empty()) return out;
  PID_ASSIGN_OR_RETURN(auto lease, database.Acquire());
  PID_ASSIGN_OR_RETURN(auto permissions, apis::DescribePermissions(*lease, resource, custom));
  // In the order the scopes were requested.
  for (const auto& key : custom) {
    auto p =
        std::find_if(permissions.begin(), permissions.end(), [&](const apis::Permission& x) { return x.key == key; });
    if (p == permissions.end()) continue;
    boost::json::object o{{"key", p->key}, {"name", p->name}};
    if (p->description && !p->description->empty()) o["description"] = *p->description;
    out.push_back(std::move(o));
  }
  return out;
}

std::variant<std::string, OAuthError> RefreshResource(const std::vector<std::string>& granted_audience,
                                                      std::string_view client_id, std::string_view issuer) {
  std::string resource;
  for (const auto& a : granted_audience) {
    if (a.empty() || a == client_id || a == issuer) continue;
    if (!resource.empty() && resource != a) {
      return errors::InvalidTarget("Refresh-token grants may only target one API resource.");
    }
    resource = a;
  }
  return resource;
}

}  // namespace pocketid::oidc
