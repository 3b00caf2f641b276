#include "profilepictures/handlers.h"

#include <memory>

#include <spdlog/spdlog.h>

#include "core/http/multipart.h"
#include "core/image/profile_picture.h"
#include "profilepictures/initials.h"
#include "storage/file_storage.h"

namespace pocketid::profilepictures {

namespace {

using http::ApiError;
using http::Request;
using http::Response;

// What the handlers share: built once in RegisterRoutes, owned by the route closures.
struct Services {
  Deps deps;
  std::unique_ptr<storage::FileStorage> files;  // null when FILE_BACKEND cannot be served (see files_error)
  Status files_error;
};

Response Error(const Request& req, const ApiError& e) { return http::ErrorResponse(req, e); }
Response Internal(const Request& req, const Status& s, std::string_view context) {
  return Error(req, http::InternalFromStatus(s, context));
}

// Pocket ID's apperror.InvalidUserID: the id names a file, so anything but a UUID is refused before any lookup.
ApiError InvalidUserId() {
  ApiError e{400, "validation_failed", "Request validation failed", {}};
  e.details["fields"] = boost::json::array{
      boost::json::object{{"field", "userId"}, {"code", "invalid_format"}, {"message", "must be a valid UUID"}}};
  return e;
}

ApiError InvalidImage() { return {400, "invalid_image", "File is not a valid image", {}}; }

std::string CustomPicturePath(std::string_view user_id) { return "profile-pictures/" + std::string(user_id) + ".png"; }
std::string InitialsPicturePath(std::string_view initials) {
  return "profile-pictures/defaults/" + std::string(initials) + ".png";
}

http::ApiResult<storage::FileStorage*> Files(Services& s) {
  if (!s.files) return http::InternalFromStatus(s.files_error, "file storage");
  return s.files.get();
}

// The user `user_id` names: 400 for a non-UUID, 404 when unknown.
http::ApiResult<users::User> FindUser(Services& s, std::string_view user_id) {
  if (!users::LooksLikeUuid(user_id)) return InvalidUserId();
  auto user = s.deps.users.FindById(user_id);
  if (!user.ok()) return http::InternalFromStatus(user.status(), "find user");
  if (!*user) return ApiError::UserNotFound();
  return std::move(**user);
}

Response PngResponse(const Request& req, std::string png) {
  Response res{200, {}, std::move(png)};
  res.headers.Add("Content-Type", "image/png");
  // `skipCache` (any value) is how the frontend busts caches after a change; the default no-store applies then.
  if (!req.QueryParam("skipCache")) {
    res.headers.Add("Cache-Control", "public, max-age=900, stale-while-revalidate=3600");
  }
  return res;
}

// The initials avatar: cached in file storage, generated (and cached) on a miss. A failed cache write only costs
// a regeneration next time, so it is logged, not returned.
StatusOr<std::string> InitialsPicture(storage::FileStorage& files, const users::User& user) {
  const std::string initials = Initials(user.first_name, user.last_name, user.username);
  const bool cacheable = CacheableInitials(initials);
  if (cacheable) {
    PID_ASSIGN_OR_RETURN(std::optional<std::string> cached, files.Open(InitialsPicturePath(initials)));
    if (cached) return std::move(*cached);
  }
  PID_ASSIGN_OR_RETURN(std::string png, image::MakeInitialsPicture(initials));
  if (cacheable) {
    if (Status saved = files.Save(InitialsPicturePath(initials), png); !saved.ok()) {
      spdlog::warn("cannot cache the initials avatar '{}': {}", initials, saved.message());
    }
  }
  return png;
}

// GET /api/users/:id/profile-picture.png (public): the custom picture, else the initials avatar. Pocket ID would
// next try the application's default profile picture (application-images/default-profile-picture.<ext>); this
// build has no application-images support yet, so that step is skipped.
Response GetPicture(Services& s, Request& req) {
  auto user = FindUser(s, req.PathParam("id"));
  if (auto* e = std::get_if<ApiError>(&user)) return Error(req, *e);
  const users::User& u = std::get<users::User>(user);
  auto files = Files(s);
  if (auto* e = std::get_if<ApiError>(&files)) return Error(req, *e);
  storage::FileStorage& storage = *std::get<storage::FileStorage*>(files);

  auto custom = storage.Open(CustomPicturePath(u.id));
  if (!custom.ok()) return Internal(req, custom.status(), "read profile picture");
  if (*custom) return PngResponse(req, std::move(**custom));

  auto generated = InitialsPicture(storage, u);
  if (!generated.ok()) return Internal(req, generated.status(), "initials profile picture");
  return PngResponse(req, std::move(*generated));
}

// PUT .../profile-picture: multipart field `file`, any PNG/JPEG/WebP/GIF (recognised by content), stored as a
// 300×300 PNG. As in Pocket ID the form is read first, then the id and the user are checked. The upload size is
// bounded by the server's request body limit; Pocket ID sets no limit of its own on this route.
Response Upload(Services& s, Request& req, std::string_view user_id) {
  auto parts = http::ParseMultipartFormData(req.Header("Content-Type").value_or(""), req.body);
  if (!parts.ok()) return Error(req, ApiError::InvalidRequestBody());
  const http::MultipartPart* file = http::FindFilePart(*parts, "file");
  if (file == nullptr) return Error(req, ApiError::Validation("file", "required", "is required"));

  auto user = FindUser(s, user_id);
  if (auto* e = std::get_if<ApiError>(&user)) return Error(req, *e);
  auto png = image::MakeProfilePicture(file->body);
  if (!png.ok()) {
    if (png.status().code() == StatusCode::kInvalidArgument) return Error(req, InvalidImage());
    return Internal(req, png.status(), "profile picture");
  }
  auto files = Files(s);
  if (auto* e = std::get_if<ApiError>(&files)) return Error(req, *e);
  // The stored id names the file: PostgreSQL matches an upper-case UUID too, the GET route looks up the stored one.
  const std::string& id = std::get<users::User>(user).id;
  if (Status saved = std::get<storage::FileStorage*>(files)->Save(CustomPicturePath(id), *png); !saved.ok()) {
    return Internal(req, saved, "save profile picture");
  }
  return Response::NoContent();
}

// DELETE .../profile-picture: back to the default picture; deleting a picture that was never set is fine.
Response Reset(Services& s, Request& req, std::string_view user_id) {
  auto user = FindUser(s, user_id);
  if (auto* e = std::get_if<ApiError>(&user)) return Error(req, *e);
  auto files = Files(s);
  if (auto* e = std::get_if<ApiError>(&files)) return Error(req, *e);
  const std::string& id = std::get<users::User>(user).id;
  if (Status deleted = std::get<storage::FileStorage*>(files)->Delete(CustomPicturePath(id)); !deleted.ok()) {
    return Internal(req, deleted, "delete profile picture");
  }
  return Response::NoContent();
}

}  // namespace

void RegisterRoutes(http::Router& router, Deps deps) {
  auto files = storage::MakeFileStorage(deps.config, deps.database);
  if (!files.ok()) spdlog::error("profile pictures are unavailable: {}", files.status().message());
  auto services = std::make_shared<Services>(Services{deps, files.ok() ? std::move(*files) : nullptr, files.status()});

  using M = http::Method;
  using Action = Response (*)(Services&, Request&, std::string_view user_id);
  // Authentication comes first, as Pocket ID's middleware runs before any binding or lookup. The admin routes act
  // on :id, the self routes on the signed-in user. LDAP users may change their picture through the API, as in
  // Pocket ID (only its UI hides the upload for them).
  auto for_user = [&](M method, std::string_view path, Action fn) {
    router.Add(method, path, [services, fn](Request& req) {
      auto principal = services->deps.authenticator.Authenticate(req, auth::AuthPolicy::Admin());
      if (auto* e = std::get_if<ApiError>(&principal)) return Error(req, *e);
      return fn(*services, req, req.PathParam("id"));
    });
  };
  auto for_self = [&](M method, std::string_view path, Action fn) {
    router.Add(method, path, [services, fn](Request& req) {
      auto principal = services->deps.authenticator.Authenticate(req, auth::AuthPolicy::Self());
      if (auto* e = std::get_if<ApiError>(&principal)) return Error(req, *e);
      return fn(*services, req, std::get<auth::Principal>(principal).user.id);
    });
  };
  router.Add(M::kGet, "/api/users/:id/profile-picture.png",
             [services](Request& req) { return GetPicture(*services, req); });
  // "/api/users/me/..." is a static route, and the router tries static routes before any ":id" pattern.
  for_self(M::kPut, "/api/users/me/profile-picture", Upload);
  for_self(M::kDelete, "/api/users/me/profile-picture", Reset);
  for_user(M::kPut, "/api/users/:id/profile-picture", Upload);
  for_user(M::kDelete, "/api/users/:id/profile-picture", Reset);
}

}  // namespace pocketid::profilepictures
