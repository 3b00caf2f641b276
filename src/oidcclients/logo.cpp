#include "oidcclients/logo.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "core/crypto/random.h"
#include "oidcclients/client_input.h"

namespace pocketid::oidcclients {

namespace {

struct ImageType {
  std::string_view ext;
  std::string_view mime;
};

constexpr std::array<ImageType, 9> kImageTypes{{
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"png", "image/png"},
    {"svg", "image/svg+xml"},
    {"ico", "image/x-icon"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"heic", "image/heic"},
}};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

uint32_t ReadBigEndian32(std::string_view d, size_t at) {
  return (uint32_t{static_cast<unsigned char>(d[at])} << 24) | (uint32_t{static_cast<unsigned char>(d[at + 1])} << 16) |
         (uint32_t{static_cast<unsigned char>(d[at + 2])} << 8) | uint32_t{static_cast<unsigned char>(d[at + 3])};
}

uint32_t ReadLittleEndian32(std::string_view d, size_t at) {
  return uint32_t{static_cast<unsigned char>(d[at])} | (uint32_t{static_cast<unsigned char>(d[at + 1])} << 8) |
         (uint32_t{static_cast<unsigned char>(d[at + 2])} << 16) |
         (uint32_t{static_cast<unsigned char>(d[at + 3])} << 24);
}

void WriteLittleEndian32(std::string& d, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) d[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// JPEG: drops APP1 segments that carry EXIF or XMP. Segments are walked up to the start of scan, after which the
// entropy-coded data is copied unchanged. nullopt when the stream does not parse.
std::optional<std::string> StripJpeg(std::string_view d) {
  if (d.size() < 4 || static_cast<unsigned char>(d[0]) != 0xFF || static_cast<unsigned char>(d[1]) != 0xD8) {
    return std::nullopt;
  }
  std::string out(d.substr(0, 2));
  size_t pos = 2;
  while (pos + 4 <= d.size()) {
    if (static_cast<unsigned char>(d[pos]) != 0xFF) return std::nullopt;
    unsigned char marker = static_cast<unsigned char>(d[pos + 1]);
    if (marker == 0xFF) {  // fill byte
      out.push_back(d[pos]);
      ++pos;
      continue;
    }
    size_t length = (size_t{static_cast<unsigned char>(d[pos + 2])} << 8) | static_cast<unsigned char>(d[pos + 3]);
    if (length < 2 || pos + 2 + length > d.size()) return std::nullopt;
    std::string_view segment = d.substr(pos, 2 + length);
    if (marker == 0xDA) {  // start of scan: the rest is image data
      out.append(d.substr(pos));
      return out;
    }
    std::string_view payload = segment.substr(4);
    bool metadata = marker == 0xE1 && (payload.starts_with(std::string_view("Exif\0", 5)) ||
                                       payload.starts_with("http://ns.adobe.com/xap/1.0/") ||
                                       payload.starts_with("http://ns.adobe.com/xmp/extension/"));
    if (!metadata) out.append(segment);
    pos += 2 + length;
  }
  return std::nullopt;
}

// PNG: drops the eXIf chunk and the text chunks that carry XMP or raw EXIF profiles. CRCs of kept chunks are
// untouched, so the result stays valid.
std::optional<std::string> StripPng(std::string_view d) {
  constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
  if (!d.starts_with(kSignature)) return std::nullopt;
  std::string out(kSignature);
  size_t pos = kSignature.size();
  while (pos < d.size()) {
    if (pos + 12 > d.size()) return std::nullopt;
    size_t length = ReadBigEndian32(d, pos);
    if (length > d.size() - pos - 12) return std::nullopt;
    std::string_view type = d.substr(pos + 4, 4);
    std::string_view data = d.substr(pos + 8, length);
    bool text = type == "tEXt" || type == "iTXt" || type == "zTXt";
    bool metadata = type == "eXIf" ||
                    (text && (data.starts_with(std::string_view("XML:com.adobe.xmp\0", 18)) ||
                              data.starts_with("Raw profile type exif") || data.starts_with("Raw profile type APP1")));
    if (!metadata) out.append(d.substr(pos, 12 + length));
    pos += 12 + length;
    if (type == "IEND") return out;
  }
  return std::nullopt;
}

// WebP: drops the EXIF and XMP chunks and clears their flags in VP8X, then fixes the RIFF size.
std::optional<std::string> StripWebp(std::string_view d) {
  if (d.size() < 12 || d.substr(0, 4) != "RIFF" || d.substr(8, 4) != "WEBP") return std::nullopt;
  std::string out = "RIFF";
  out.append(4, '\0');
  out += "WEBP";
  size_t pos = 12;
  while (pos < d.size()) {
    if (pos + 8 > d.size()) return std::nullopt;
    std::string_view type = d.substr(pos, 4);
    size_t size = ReadLittleEndian32(d, pos + 4);
    size_t end = pos + 8 + size + (size % 2);  // odd payloads are padded
    if (size > d.size() || end > d.size()) return std::nullopt;
    if (type != "EXIF" && type != "XMP ") {
      std::string chunk(d.substr(pos, end - pos));
      if (type == "VP8X" && size >= 10) chunk[8] = static_cast<char>(chunk[8] & ~0x0c);
      out += chunk;
    }
    pos = end;
  }
  WriteLittleEndian32(out, 4, static_cast<uint32_t>(out.size() - 8));
  return out;
}

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

}  // namespace

std::string FileExtension(std::string_view filename) {
  // filepath.Ext: the suffix from the final dot of the last path element.
  auto dot = filename.find_last_of("./");
  if (dot == std::string_view::npos || filename[dot] != '.') return std::string(filename);
  return std::string(filename.substr(dot + 1));
}

std::string_view ImageMimeType(std::string_view ext) {
  for (const auto& t : kImageTypes) {
    if (t.ext == ext) return t.mime;
  }
  return {};
}

std::string_view ImageExtensionFromMimeType(std::string_view content_type) {
  std::string mt = Lower(content_type.substr(0, content_type.find(';')));
  while (!mt.empty() && (mt.back() == ' ' || mt.back() == '\t')) mt.pop_back();
  while (!mt.empty() && (mt.front() == ' ' || mt.front() == '\t')) mt.erase(0, 1);
  if (mt == "image/jpeg" || mt == "image/jpg") return "jpg";
  if (mt == "image/png") return "png";
  if (mt == "image/svg+xml") return "svg";
  if (mt == "image/x-icon" || mt == "image/vnd.microsoft.icon") return "ico";
  if (mt == "image/gif") return "gif";
  if (mt == "image/webp") return "webp";
  if (mt == "image/avif") return "avif";
  if (mt == "image/heic" || mt == "image/heif") return "heic";
  return {};
}

std::string LogoPath(std::string_view client_id, bool light, std::string_view ext) {
  std::string storage_id =
      IsValidClientId(client_id) ? std::string(client_id) : "cimd-" + crypto::HexEncode(crypto::Sha256(client_id));
  return "oidc-client-images/" + storage_id + (light ? "" : "-dark") + "." + std::string(ext);
}

std::string StripImageMetadata(std::string data, std::string_view ext) {
  std::string e = Lower(ext);
  std::optional<std::string> stripped;
  if (e == "jpg" || e == "jpeg") stripped = StripJpeg(data);
  else if (e == "png") stripped = StripPng(data);
  else if (e == "webp") stripped = StripWebp(data);
  return stripped ? std::move(*stripped) : std::move(data);
}

std::string FilesystemStorage::FullPath(std::string_view path) const {
  return root_.empty() ? std::string(path) : root_ + "/" + std::string(path);
}

Status FilesystemStorage::Save(std::string_view path, std::string_view data) {
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

}  // namespace pocketid::oidcclients
