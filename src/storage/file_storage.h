// Where uploaded files live (management.md §8): FILE_BACKEND filesystem under UPLOAD_PATH, or the `storage`
// table. Logos, profile pictures and application images all go through this interface.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/config/env_config.h"
#include "core/db/database.h"
#include "core/status/status.h"

namespace pocketid::storage {

// Paths are relative ("oidc-client-images/x.png").
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

}  // namespace pocketid::storage
