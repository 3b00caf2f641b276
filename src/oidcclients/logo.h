// Client logos (management.md §1.5, §8): the image types Pocket ID accepts, where a logo is stored
// (`oidc-client-images/<clientId>[-dark].<ext>`, `cimd-<sha256hex>` for URL client ids), removal of metadata
// before storing, and the file storage itself (FILE_BACKEND filesystem under UPLOAD_PATH, or the `storage` table).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/config/env_config.h"
#include "core/db/database.h"
#include "core/status/status.h"

namespace pocketid::oidcclients {

inline constexpr size_t kMaxLogoBytes = 2 * 1024 * 1024;

// Go's filepath.Ext without the dot, or the whole name when it has no dot (Pocket ID's GetFileExtension).
std::string FileExtension(std::string_view filename);

// "image/png" for "png", ... ; "" for an extension Pocket ID does not accept (jpg jpeg png svg ico gif webp avif
// heic are accepted, lower case only).
std::string_view ImageMimeType(std::string_view ext);

// The extension for a response Content-Type (parameters ignored); "" when it is not a supported image type.
std::string_view ImageExtensionFromMimeType(std::string_view content_type);

// The storage path of a client's logo: `oidc-client-images/<id>[-dark].<ext>`.
std::string LogoPath(std::string_view client_id, bool light, std::string_view ext);

// Removes EXIF/XMP metadata from JPEG, PNG and WebP images (location and camera data a photo may carry); other
// types and images that do not parse are returned unchanged, as Pocket ID does.
std::string StripImageMetadata(std::string data, std::string_view ext);

// Where uploaded files live (management.md §8). Paths are relative ("oidc-client-images/x.png").
class FileStorage {
 public:
  virtual ~FileStorage() = default;
  virtual Status Save(std::string_view path, std::string_view data) = 0;
  // nullopt when there is no such file.
  virtual StatusOr<std::optional<std::string>> Open(std::string_view path) = 0;
  // A missing file is not an error.
  virtual Status Delete(std::string_view path) = 0;
};

// FILE_BACKEND=filesystem: files under `root` (dirs 0700), written to a temporary name and renamed into place.
class FilesystemStorage : public FileStorage {
 public:
  explicit FilesystemStorage(std::string root) : root_(std::move(root)) {}
  Status Save(std::string_view path, std::string_view data) override;
  StatusOr<std::optional<std::string>> Open(std::string_view path) override;
  Status Delete(std::string_view path) override;

 private:
  std::string FullPath(std::string_view path) const;
  std::string root_;
};

// FILE_BACKEND=database: the `storage` table (path, data, size, mod_time, created_at).
class DatabaseStorage : public FileStorage {
 public:
  explicit DatabaseStorage(db::Database& database) : database_(database) {}
  Status Save(std::string_view path, std::string_view data) override;
  StatusOr<std::optional<std::string>> Open(std::string_view path) override;
  Status Delete(std::string_view path) override;

 private:
  db::Database& database_;
};

// The storage FILE_BACKEND selects. S3 is not available in this build: kFailedPrecondition.
StatusOr<std::unique_ptr<FileStorage>> MakeFileStorage(const config::EnvConfig& config, db::Database& database);

}  // namespace pocketid::oidcclients
