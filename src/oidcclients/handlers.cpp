#include "oidcclients/handlers.h"

#include <memory>

#include <spdlog/spdlog.h>

#include "core/crypto/encoding.h"
#include "core/crypto/random.h"
#include "core/http/json_body.h"
#include "core/http/multipart.h"
#include "core/http/pagination.h"
#include "oidcclients/admin_store.h"
#include "oidcclients/client_dto.h"
#include "oidcclients/client_input.h"
#include "oidcclients/logo.h"
#include "oidcclients/logo_fetch.h"
#include "storage/file_storage.h"

namespace pocketid::oidcclients {

namespace {

constexpr size_t kGeneratedSecretLength = 32;

// What the handlers share: built once in RegisterRoutes, owned by the route closures.
struct Services {
  Deps deps;
  AdminStore store;
  std::unique_ptr<storage::FileStorage> files;  // null when FILE_BACKEND cannot be served (see files_error)
  Status files_error;
  LogoFetcher fetcher;
};

http::ApiError ClientNotFound() { return http::ApiError::NotFound("OIDC client", "OIDC client not found"); }
http::ApiError ImageNotFound() { return {404, "image_not_found", "Image not found", {}}; }

http::ApiError FileTooLarge() {
  http::ApiError e{413, "file_too_large", "File must not exceed 2.00 MB", {}};
  e.details["max_size"] = "2.00 MB";
  return e;
}

// Go's strconv.ParseBool on `light` (default true); a value it cannot parse reads as false.
bool LightParam(const http::Request& req) {
  auto v = req.QueryParam("light");
  if (!v) return true;
  return *v == "1" || *v == "t" || *v == "T" || *v == "true" || *v == "TRUE" || *v == "True";
}

http::Response Error(const http::Request& req, const http::ApiError& e) { return http::ErrorResponse(req, e); }
http::Response Internal(const http::Request& req, const Status& s, std::string_view what) {
  return http::ErrorResponse(req, http::InternalFromStatus(s, what));
}

// The client as stored after a write; gone meanwhile (a concurrent delete) is an internal error for this request.
http::ApiResult<Client> Reload(Services& s, std::string_view id) {
  auto client = s.deps.clients.FindById(id);
  if (!client.ok()) return http::InternalFromStatus(client.status(), "reload client");
  if (!*client) return http::InternalFromStatus(NotFoundError("client " + std::string(id) + " vanished"), "reload client");
  return std::move(**client);
}

http::Response ClientWithGroupsResponse(Services& s, const http::Request& req, int status,
                                        const Client& client) {
  auto groups = s.store.AllowedGroups(client.id);
  if (!groups.ok()) return Internal(req, groups.status(), "allowed groups");
  return http::Response::Json(status, ClientWithGroupsDto(client, *groups, db::Now()));
}

// ---- logos ----

http::ApiResult<storage::FileStorage*> Files(Services& s) {
  if (!s.files) return http::InternalFromStatus(s.files_error, "file storage");
  return s.files.get();
}

// Stores `data` as the client's light or dark logo and records its type; the file of a previous, different type
// is removed afterwards (storage is not transactional, so the row is updated only once the file is in place).
std::optional<http::ApiError> StoreLogo(Services& s, std::string_view client_id, bool light,
                                        const std::string& ext, const std::string& data) {
  auto files = Files(s);
  if (auto* e = std::get_if<http::ApiError>(&files)) return *e;
  storage::FileStorage* storage = std::get<storage::FileStorage*>(files);
  if (Status saved = storage->Save(LogoPath(client_id, light, ext), data); !saved.ok()) {
    return http::InternalFromStatus(saved, "save logo");
  }
  auto previous = s.store.SetLogoType(client_id, light, ext);
  if (!previous.ok()) return http::InternalFromStatus(previous.status(), "logo type");
  if (!*previous) {  // the client went away meanwhile
    (void)storage->Delete(LogoPath(client_id, light, ext));
    return ClientNotFound();
  }
  if (const auto& old = **previous; old && !old->empty() && *old != ext) {
    if (Status d = storage->Delete(LogoPath(client_id, light, *old)); !d.ok()) {
      spdlog::warn("could not delete the old logo of client {}: {}", client_id, d.message());
    }
  }
  return std::nullopt;
}

struct PendingLogos {
  std::optional<FetchedLogo> light;
  std::optional<FetchedLogo> dark;
};

// Downloads logoUrl/darkLogoUrl before anything is written, so a bad URL leaves no half-saved client.
http::ApiResult<PendingLogos> FetchLogos(Services& s, const ClientInput& in) {
  PendingLogos out;
  // The admin UI sends "" for an empty URL field: nothing to download.
  if (in.logo_url && !in.logo_url->empty()) {
    auto fetched = s.fetcher.Fetch(*in.logo_url);
    if (auto* e = std::get_if<http::ApiError>(&fetched)) return *e;
    out.light = std::move(std::get<FetchedLogo>(fetched));
  }
  if (in.dark_logo_url && !in.dark_logo_url->empty()) {
    auto fetched = s.fetcher.Fetch(*in.dark_logo_url);
    if (auto* e = std::get_if<http::ApiError>(&fetched)) return *e;
    out.dark = std::move(std::get<FetchedLogo>(fetched));
  }
  return out;
}

std::optional<http::ApiError> StoreLogos(Services& s, std::string_view client_id, const PendingLogos& logos) {
  if (logos.light) {
    if (auto e = StoreLogo(s, client_id, true, logos.light->ext, logos.light->data)) return e;
  }
  if (logos.dark) {
    if (auto e = StoreLogo(s, client_id, false, logos.dark->ext, logos.dark->data)) return e;
  }
  return std::nullopt;
}

// ---- clients ----

http::Response ListClients(Services& s, http::Request& req, const auth::Principal& principal) {
  auto list = http::ParseListRequest(req);
  auto page = s.store.List(req.QueryParam("search").value_or(""), list);
  if (!page.ok()) return Internal(req, page.status(), "list clients");
  boost::json::array data;
  db::Timestamp now = db::Now();
  for (const auto& item : page->items) data.push_back(ClientListItemDto(item, now));
  return http::Response::Json(200, http::PaginatedJson(std::move(data), page->page));
}

http::Response CreateClient(Services& s, http::Request& req, const auth::Principal& principal) {
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return Error(req, *e);
  auto input = ParseClientInput(std::get<boost::json::object>(body), /*with_id=*/true);
  if (auto* e = std::get_if<http::ApiError>(&input)) return Error(req, *e);
  const ClientInput& in = std::get<ClientInput>(input);

  const http::ApiError taken{409, "client_id_already_exists", "Client ID is already in use", {}};
  if (in.id) {
    auto existing = s.deps.clients.FindById(*in.id);
    if (!existing.ok()) return Internal(req, existing.status(), "find client");
    if (*existing) return Error(req, taken);
  }
  auto logos = FetchLogos(s, in);
  if (auto* e = std::get_if<http::ApiError>(&logos)) return Error(req, *e);

  auto created = s.store.Create(in, principal.user.id);
  if (!created.ok()) {
    if (created.status().code() == StatusCode::kAlreadyExists) return Error(req, taken);
    return Internal(req, created.status(), "create client");
  }
  if (auto e = StoreLogos(s, created->id, std::get<PendingLogos>(logos))) return Error(req, *e);
  auto saved = Reload(s, created->id);
  if (auto* e = std::get_if<http::ApiError>(&saved)) return Error(req, *e);
  return ClientWithGroupsResponse(s, req, 201, std::get<Client>(saved));
}

http::Response GetClient(Services& s, http::Request& req, const auth::Principal& principal) {
  auto client = s.deps.clients.FindById(req.IdPathParam("id"));
  if (!client.ok()) return Internal(req, client.status(), "find client");
  if (!*client) return Error(req, ClientNotFound());
  return ClientWithGroupsResponse(s, req, 200, **client);
}

http::Response GetClientMeta(Services& s, http::Request& req) {
  auto client = s.deps.clients.FindById(req.IdPathParam("id"));
  if (!client.ok()) return Internal(req, client.status(), "find client");
  if (!*client) return Error(req, ClientNotFound());
  return http::Response::Json(200, MetaDataDto(**client));
}

http::Response UpdateClient(Services& s, http::Request& req, const auth::Principal& principal) {
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return Error(req, *e);
  auto input = ParseClientInput(std::get<boost::json::object>(body), /*with_id=*/false);
  if (auto* e = std::get_if<http::ApiError>(&input)) return Error(req, *e);
  const ClientInput& in = std::get<ClientInput>(input);
  const std::string id = req.IdPathParam("id");

  auto existing = s.deps.clients.FindById(id);
  if (!existing.ok()) return Internal(req, existing.status(), "find client");
  if (!*existing) return Error(req, ClientNotFound());
  auto logos = FetchLogos(s, in);
  if (auto* e = std::get_if<http::ApiError>(&logos)) return Error(req, *e);

  auto updated = s.store.Update(id, in);
  if (!updated.ok()) return Internal(req, updated.status(), "update client");
  if (!*updated) return Error(req, ClientNotFound());
  if (auto e = StoreLogos(s, id, std::get<PendingLogos>(logos))) return Error(req, *e);
  auto saved = Reload(s, id);
  if (auto* e = std::get_if<http::ApiError>(&saved)) return Error(req, *e);
  return ClientWithGroupsResponse(s, req, 200, std::get<Client>(saved));
}

http::Response DeleteClient(Services& s, http::Request& req, const auth::Principal& principal) {
  auto deleted = s.store.Delete(req.IdPathParam("id"));
  if (!deleted.ok()) return Internal(req, deleted.status(), "delete client");
  if (!*deleted) return Error(req, ClientNotFound());
  // Logo files go after the row: a leftover file is harmless, a row pointing at no file is not.
  if (s.files) {
    const Client& c = **deleted;
    for (auto [light, type] : {std::pair{true, &c.image_type}, {false, &c.dark_image_type}}) {
      if (!*type || (*type)->empty()) continue;
      if (Status d = s.files->Delete(LogoPath(c.id, light, **type)); !d.ok()) {
        spdlog::warn("could not delete a logo of deleted client {}: {}", c.id, d.message());
      }
    }
  }
  return http::Response::NoContent();
}

http::Response UpdateAllowedGroups(Services& s, http::Request& req, const auth::Principal& principal) {
  auto ids = ParseAllowedGroupsInput(req);
  if (auto* e = std::get_if<http::ApiError>(&ids)) return Error(req, *e);
  const std::string id = req.IdPathParam("id");
  auto found = s.store.SetAllowedGroups(id, std::get<std::vector<std::string>>(ids));
  if (!found.ok()) return Internal(req, found.status(), "allowed groups");
  if (!*found) return Error(req, ClientNotFound());
  auto client = Reload(s, id);
  if (auto* e = std::get_if<http::ApiError>(&client)) return Error(req, *e);
  return http::Response::Json(200, ClientDto(std::get<Client>(client), db::Now()));
}

// ---- secrets ----

http::Response ListSecrets(Services& s, http::Request& req, const auth::Principal& principal) {
  auto client = s.deps.clients.FindById(req.IdPathParam("id"));
  if (!client.ok()) return Internal(req, client.status(), "find client");
  if (!*client) return Error(req, ClientNotFound());
  boost::json::array out;
  db::Timestamp now = db::Now();
  for (const auto& secret : (*client)->credentials.secrets) out.push_back(SecretDto(secret, now));
  return http::Response::Json(200, out);
}

http::Response CreateSecret(Services& s, http::Request& req, const auth::Principal& principal) {
  db::Timestamp now = db::Now();
  auto input = ParseSecretInput(req, now);
  if (auto* e = std::get_if<http::ApiError>(&input)) return Error(req, *e);
  const SecretInput& in = std::get<SecretInput>(input);

  // Only the hash and a short clear prefix are kept: this response is the only time the value is shown.
  std::string value = in.secret.value_or(crypto::RandomString(kGeneratedSecretLength, crypto::kAlphanumeric));
  ClientSecret secret{crypto::NewUuidV4(), "sha256", HashSecret(value),
                      value.size() > kSecretPrefixLength ? value.substr(0, kSecretPrefixLength) : std::string(), now,
                      in.expires_at};
  auto outcome = s.store.AddSecret(req.IdPathParam("id"), secret);
  if (!outcome.ok()) return Internal(req, outcome.status(), "add secret");
  switch (*outcome) {
    case SecretOutcome::kClientNotFound:
      return Error(req, ClientNotFound());
    case SecretOutcome::kPublicClient:
      return Error(req, {400, "validation_failed", "Cannot create a secret for a public client", {}});
    case SecretOutcome::kTooManySecrets:
      return Error(req, {400, "validation_failed",
                         "A client cannot have more than " + std::to_string(kMaxSecrets) + " secrets", {}});
    case SecretOutcome::kAdded:
      break;
  }
  boost::json::object dto = SecretDto(secret, now);
  dto["secret"] = value;
  return http::Response::Json(201, dto);
}

http::Response DeleteSecret(Services& s, http::Request& req, const auth::Principal& principal) {
  auto outcome = s.store.DeleteSecret(req.IdPathParam("id"), req.PathParam("secretId"));
  if (!outcome.ok()) return Internal(req, outcome.status(), "delete secret");
  if (!*outcome) return Error(req, ClientNotFound());
  if (!**outcome) return Error(req, http::ApiError::NotFound("Client secret", "Client secret not found"));
  return http::Response::NoContent();
}

// ---- logo endpoints ----

http::Response GetLogo(Services& s, http::Request& req) {
  auto client = s.deps.clients.FindById(req.IdPathParam("id"));
  if (!client.ok()) return Internal(req, client.status(), "find client");
  if (!*client) return Error(req, ClientNotFound());
  const Client& c = **client;
  // Dark when asked for and present; otherwise light; a missing dark logo falls back to the light one.
  bool light = LightParam(req);
  std::optional<std::string> ext;
  if (!light && c.dark_image_type) {
    ext = c.dark_image_type;
  } else if (c.image_type) {
    ext = c.image_type;
    light = true;
  }
  if (!ext) return Error(req, ImageNotFound());
  std::string_view mime = ImageMimeType(*ext);
  if (mime.empty()) return Internal(req, InternalError("unsupported image type '" + *ext + "'"), "client logo");
  auto files = Files(s);
  if (auto* e = std::get_if<http::ApiError>(&files)) return Error(req, *e);
  auto data = std::get<storage::FileStorage*>(files)->Open(LogoPath(c.id, light, *ext));
  if (!data.ok()) return Internal(req, data.status(), "read logo");
  if (!*data) return Error(req, ImageNotFound());

  http::Response res{200, {}, std::move(**data)};
  res.headers.Add("Content-Type", std::string(mime));
  // `skipCache` (any value) is how the admin UI busts caches after an upload.
  if (!req.QueryParam("skipCache")) res.headers.Add("Cache-Control", "public, max-age=900, stale-while-revalidate=43200");
  return res;
}

http::Response UploadLogo(Services& s, http::Request& req, const auth::Principal& principal) {
  if (req.body.size() > kMaxLogoBytes) return Error(req, FileTooLarge());
  auto parts = http::ParseMultipartFormData(req.Header("Content-Type").value_or(""), req.body);
  if (!parts.ok()) return Error(req, http::ApiError::InvalidRequestBody());
  const http::MultipartPart* file = http::FindFilePart(*parts, "file");
  if (file == nullptr) return Error(req, http::ApiError::Validation("file", "required", "is required"));

  std::string ext = FileExtension(*file->filename);
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (ImageMimeType(ext).empty()) return Error(req, {415, "file_type_not_supported", "File type is not supported", {}});

  const std::string id = req.IdPathParam("id");
  auto client = s.deps.clients.FindById(id);
  if (!client.ok()) return Internal(req, client.status(), "find client");
  if (!*client) return Error(req, ClientNotFound());
  if (auto e = StoreLogo(s, id, LightParam(req), ext, StripImageMetadata(file->body, ext))) return Error(req, *e);
  return http::Response::NoContent();
}

http::Response DeleteLogo(Services& s, http::Request& req, const auth::Principal& principal) {
  const std::string id = req.IdPathParam("id");
  const bool light = LightParam(req);
  auto client = s.deps.clients.FindById(id);
  if (!client.ok()) return Internal(req, client.status(), "find client");
  if (!*client) return Error(req, ClientNotFound());
  if (!(light ? (*client)->image_type : (*client)->dark_image_type)) return Error(req, ImageNotFound());

  auto previous = s.store.SetLogoType(id, light, std::nullopt);
  if (!previous.ok()) return Internal(req, previous.status(), "logo type");
  if (!*previous) return Error(req, ClientNotFound());
  if (!**previous) return Error(req, ImageNotFound());  // removed concurrently
  auto files = Files(s);
  if (auto* e = std::get_if<http::ApiError>(&files)) return Error(req, *e);
  if (Status d = std::get<storage::FileStorage*>(files)->Delete(LogoPath(id, light, ***previous)); !d.ok()) {
    return Internal(req, d, "delete logo");
  }
  return http::Response::NoContent();
}

// ---- a user's clients ----

http::Response ListAuthorizedFor(Services& s, http::Request& req, std::string_view user_id) {
  auto page = s.store.ListAuthorized(user_id, http::ParseListRequest(req));
  if (!page.ok()) return Internal(req, page.status(), "authorized clients");
  boost::json::array data;
  for (const auto& item : page->items) data.push_back(AuthorizedClientDto(item));
  return http::Response::Json(200, http::PaginatedJson(std::move(data), page->page));
}

http::Response ListOwnAuthorized(Services& s, http::Request& req, const auth::Principal& principal) {
  return ListAuthorizedFor(s, req, principal.user.id);
}

http::Response ListUserAuthorized(Services& s, http::Request& req, const auth::Principal& principal) {
  std::string user_id(req.PathParam("id"));
  auto user = s.deps.users.FindById(user_id);
  if (!user.ok()) return Internal(req, user.status(), "find user");
  if (!*user) return Error(req, http::ApiError::UserNotFound());
  return ListAuthorizedFor(s, req, user_id);
}

http::Response RevokeOwnAuthorization(Services& s, http::Request& req, const auth::Principal& principal) {
  auto revoked = s.store.RevokeAuthorized(principal.user.id, req.IdPathParam("clientId"));
  if (!revoked.ok()) return Internal(req, revoked.status(), "revoke authorization");
  if (!*revoked) return Error(req, http::ApiError::NotFound("Client authorization", "Client authorization not found"));
  return http::Response::NoContent();
}

http::Response ListOwnAccessible(Services& s, http::Request& req, const auth::Principal& principal) {
  auto page = s.store.ListAccessible(principal.user.id, http::ParseListRequest(req));
  if (!page.ok()) return Internal(req, page.status(), "accessible clients");
  boost::json::array data;
  for (const auto& item : page->items) data.push_back(AccessibleClientDto(item));
  return http::Response::Json(200, http::PaginatedJson(std::move(data), page->page));
}

}  // namespace

void RegisterRoutes(http::Router& router, Deps deps) {
  auto files = storage::MakeFileStorage(deps.config, deps.database);
  if (!files.ok()) spdlog::error("client logos are unavailable: {}", files.status().message());
  auto services = std::make_shared<Services>(Services{
      deps, AdminStore(deps.database), files.ok() ? std::move(*files) : nullptr, files.status(),
      LogoFetcher::Public(deps.config.local_ipv6_ranges)});

  using M = http::Method;
  using Public = http::Response (*)(Services&, http::Request&);
  using Guarded = http::Response (*)(Services&, http::Request&, const auth::Principal&);
  auto open = [&](M method, std::string_view path, Public fn) {
    router.Add(method, path, [services, fn](http::Request& req) { return fn(*services, req); });
  };
  // Authentication comes first, as Pocket ID's middleware runs before any binding or lookup.
  auto guarded = [&](M method, std::string_view path, auth::AuthPolicy policy, Guarded fn) {
    router.Add(method, path, [services, policy, fn](http::Request& req) {
      auto principal = services->deps.authenticator.Authenticate(req, policy);
      if (auto* e = std::get_if<http::ApiError>(&principal)) return Error(req, *e);
      return fn(*services, req, std::get<auth::Principal>(principal));
    });
  };
  const auto admin = auth::AuthPolicy::Admin();
  const auto self = auth::AuthPolicy::Self();
  guarded(M::kGet, "/api/oidc/clients", admin, ListClients);
  guarded(M::kPost, "/api/oidc/clients", admin, CreateClient);
  guarded(M::kGet, "/api/oidc/clients/:id", admin, GetClient);
  open(M::kGet, "/api/oidc/clients/:id/meta", GetClientMeta);
  guarded(M::kPut, "/api/oidc/clients/:id", admin, UpdateClient);
  guarded(M::kDelete, "/api/oidc/clients/:id", admin, DeleteClient);
  guarded(M::kPut, "/api/oidc/clients/:id/allowed-user-groups", admin, UpdateAllowedGroups);
  guarded(M::kGet, "/api/oidc/clients/:id/secrets", admin, ListSecrets);
  guarded(M::kPost, "/api/oidc/clients/:id/secrets", admin, CreateSecret);
  guarded(M::kDelete, "/api/oidc/clients/:id/secrets/:secretId", admin, DeleteSecret);
  open(M::kGet, "/api/oidc/clients/:id/logo", GetLogo);
  guarded(M::kPost, "/api/oidc/clients/:id/logo", admin, UploadLogo);
  guarded(M::kDelete, "/api/oidc/clients/:id/logo", admin, DeleteLogo);
  guarded(M::kGet, "/api/oidc/users/me/authorized-clients", self, ListOwnAuthorized);
  guarded(M::kGet, "/api/oidc/users/:id/authorized-clients", admin, ListUserAuthorized);
  guarded(M::kDelete, "/api/oidc/users/me/authorized-clients/:clientId", self, RevokeOwnAuthorization);
  guarded(M::kGet, "/api/oidc/users/me/clients", self, ListOwnAccessible);
}

}  // namespace pocketid::oidcclients
