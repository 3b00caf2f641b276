#include "storage/file_storage.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/crypto/random.h"

namespace pocketid::storage {

namespace {

Status ErrnoStatus(std::string_view what, const std::string& path) {
  return InternalError(std::string(what) + " " + path + ": " + std::strerror(errno));
}

// mkdir -p with mode 0700 for every directory created.
Status MakeDirectories(const std::string& dir) {
  for (size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
    std::string prefix = dir.substr(0, slash);
    if (!prefix.empty() && ::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return ErrnoStatus("cannot create directory", prefix);
    }
    if (slash == std::string::npos) return Status::Ok();
  }
}

// Paths come from our own code, but ids inside them may come from a URL: refuse anything that could leave the
// upload directory.
bool IsSafeRelativePath(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    size_t length = slash == std::string_view::npos ? std::string_view::npos : slash - start;
    std::string_view segment = path.substr(start, length);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return path.find('\0') == std::string_view::npos;
}

}  // namespace

std::string FilesystemStorage::FullPath(std::string_view path) const {
  return root_.empty() ? std::string(path) : root_ + "/" + std::string(path);
}

Status FilesystemStorage::Save(std::string_view path, std::string_view data) {
  if (!IsSafeRelativePath(path)) return InvalidArgumentError("unsafe storage path");
  const std::string full = FullPath(path);
  auto slash = full.find_last_of('/');
  if (slash != std::string::npos) PID_RETURN_IF_ERROR(MakeDirectories(full.substr(0, slash)));
  // Written aside and renamed, so a reader never sees half a file.
  const std::string tmp = full + "." + crypto::NewUuidV4() + "-tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus("cannot create", tmp);
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = ErrnoStatus("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return s;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    Status s = ErrnoStatus("cannot write", tmp);
    ::unlink(tmp.c_str());
    return s;
  }
  if (::rename(tmp.c_str(), full.c_str()) != 0) {
    Status s = ErrnoStatus("cannot rename into", full);
    ::unlink(tmp.c_str());
    return s;
  }
  return Status::Ok();
}

StatusOr<std::optional<std::string>> FilesystemStorage::Open(std::string_view path) {
  if (!IsSafeRelativePath(path)) return InvalidArgumentError("unsafe storage path");
  const std::string full = FullPath(path);
  int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>();
    return ErrnoStatus("cannot open", full);
  }
  std::string data;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status s = ErrnoStatus("cannot read", full);
      ::close(fd);
      return s;
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return std::optional<std::string>(std::move(data));
}

Status FilesystemStorage::Delete(std::string_view path) {
  if (!IsSafeRelativePath(path)) return InvalidArgumentError("unsafe storage path");
  const std::string full = FullPath(path);
  if (::unlink(full.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("cannot delete", full);
  return Status::Ok();
}

Status DatabaseStorage::Save(std::string_view path, std::string_view data) {
  db::Timestamp now = db::Now();
  return database_
      .Exec("INSERT INTO storage (path, data, size, mod_time, created_at) VALUES ($1, $2, $3, $4, $4) "
            "ON CONFLICT (path) DO UPDATE SET data = excluded.data, size = excluded.size, mod_time = excluded.mod_time",
            {path, db::Blob{std::string(data)}, static_cast<int64_t>(data.size()), now})
      .status();
}

StatusOr<std::optional<std::string>> DatabaseStorage::Open(std::string_view path) {
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT data FROM storage WHERE path = $1", {path}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].Text(0));
}

Status DatabaseStorage::Delete(std::string_view path) {
  return database_.Exec("DELETE FROM storage WHERE path = $1", {path}).status();
}

StatusOr<std::unique_ptr<FileStorage>> MakeFileStorage(const config::EnvConfig& config, db::Database& database) {
  switch (config.file_backend) {
    case config::FileBackend::kFilesystem:
      return std::unique_ptr<FileStorage>(std::make_unique<FilesystemStorage>(config.upload_path));
    case config::FileBackend::kDatabase:
      return std::unique_ptr<FileStorage>(std::make_unique<DatabaseStorage>(database));
    case config::FileBackend::kS3:
      break;
  }
  return FailedPreconditionError("FILE_BACKEND=s3 is not supported by this build");
}

}  // namespace pocketid::storage
