#include "geoip/database_download.h"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "core/curl/http_get.h"
#include "geoip/locator.h"

namespace pocketid::geoip {

namespace {

namespace fs = std::filesystem;

constexpr size_t kTarBlock = 512;
// The marker that starts the metadata section near the end of every MaxMind DB file.
constexpr std::string_view kMetadataMarker = "\xAB\xCD\xEF" "MaxMind.com";
// libmaxminddb looks for the marker in the last 128 KiB.
constexpr size_t kMetadataSearchWindow = 128 * 1024;

bool IsGzip(std::string_view body) {
  return body.size() >= 2 && static_cast<unsigned char>(body[0]) == 0x1f &&
         static_cast<unsigned char>(body[1]) == 0x8b;
}

bool HasMetadataMarker(std::string_view data) {
  std::string_view tail = data.substr(data.size() > kMetadataSearchWindow ? data.size() - kMetadataSearchWindow : 0);
  return tail.find(kMetadataMarker) != std::string_view::npos;
}

StatusOr<std::string> Gunzip(std::string_view compressed, size_t limit) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return InternalError("inflateInit2 failed");
  std::unique_ptr<z_stream, decltype(&inflateEnd)> guard(&zs, inflateEnd);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());  // bounded by kMaxDatabaseBytes < 4 GiB
  std::string out;
  char buffer[64 * 1024];
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    int rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) return InvalidArgumentError("the download is not valid gzip data");
    out.append(buffer, sizeof buffer - zs.avail_out);
    if (out.size() > limit) return InvalidArgumentError("the downloaded archive is larger than allowed");
    if (rc == Z_STREAM_END) return out;
    if (zs.avail_in == 0 && zs.avail_out != 0) return InvalidArgumentError("the gzip data is truncated");
  }
}

// A tar numeric field: octal text (NUL/space padded), or GNU base-256 when the first byte has its high bit set.
std::optional<uint64_t> TarNumber(std::string_view field) {
  if (!field.empty() && (static_cast<unsigned char>(field[0]) & 0x80)) {
    uint64_t v = static_cast<unsigned char>(field[0]) & 0x7F;
    for (size_t i = 1; i < field.size(); ++i) {
      if (v > (UINT64_MAX >> 8)) return std::nullopt;
      v = (v << 8) | static_cast<unsigned char>(field[i]);
    }
    return v;
  }
  uint64_t v = 0;
  bool digits = false;
  for (char c : field) {
    if (c == '\0' || c == ' ') {
      if (digits) break;
      continue;
    }
    if (c < '0' || c > '7' || v > (UINT64_MAX >> 3)) return std::nullopt;
    v = v * 8 + static_cast<uint64_t>(c - '0');
    digits = true;
  }
  return v;
}

std::string_view CString(std::string_view field) { return field.substr(0, std::min(field.find('\0'), field.size())); }

std::string_view BaseName(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The "path=" record of a PAX extended header ("<len> path=<value>\n" records).
std::optional<std::string> PaxPath(std::string_view records) {
  while (!records.empty()) {
    auto space = records.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    size_t len = 0;
    for (char c : records.substr(0, space)) {
      if (c < '0' || c > '9') return std::nullopt;
      len = len * 10 + static_cast<size_t>(c - '0');
      if (len > records.size()) return std::nullopt;
    }
    if (len <= space + 1) return std::nullopt;
    std::string_view record = records.substr(space + 1, len - space - 1);
    if (!record.empty() && record.back() == '\n') record.remove_suffix(1);
    if (record.starts_with("path=")) return std::string(record.substr(5));
    records.remove_prefix(len);
  }
  return std::nullopt;
}

// The regular file named GeoLite2-City.mmdb (in any folder) of a ustar/GNU/PAX archive.
StatusOr<std::string> FindInTar(std::string_view tar) {
  size_t offset = 0;
  std::optional<std::string> long_name;  // from a GNU 'L' entry or a PAX 'x' header, for the next entry
  while (offset + kTarBlock <= tar.size()) {
    std::string_view header = tar.substr(offset, kTarBlock);
    if (header.find_first_not_of('\0') == std::string_view::npos) break;  // end-of-archive block
    auto size = TarNumber(header.substr(124, 12));
    if (!size) return InvalidArgumentError("the tar archive has a malformed entry size");
    size_t data_offset = offset + kTarBlock;
    if (*size > tar.size() - data_offset) return InvalidArgumentError("the tar archive is truncated");
    std::string_view data = tar.substr(data_offset, static_cast<size_t>(*size));
    char type = header[156];
    std::string name;
    if (long_name) {
      name = std::move(*long_name);
      long_name.reset();
    } else {
      std::string_view prefix = header.substr(257, 5) == "ustar" ? CString(header.substr(345, 155)) : "";
      name = std::string(prefix) + (prefix.empty() ? "" : "/") + std::string(CString(header.substr(0, 100)));
    }
    if (type == 'L') {
      long_name = std::string(CString(data));
    } else if (type == 'x') {
      long_name = PaxPath(data);
    } else if ((type == '0' || type == '\0') && BaseName(name) == kDatabaseFileName) {
      return std::string(data);
    }
    size_t padded = (static_cast<size_t>(*size) + kTarBlock - 1) / kTarBlock * kTarBlock;
    offset = data_offset + padded;
  }
  return NotFoundError(std::string(kDatabaseFileName) + " not found in the archive");
}

}  // namespace

std::string DownloadUrl(std::string_view url_template, std::string_view license_key) {
  std::string url(url_template);
  if (auto at = url.find("%s"); at != std::string::npos) url.replace(at, 2, license_key);
  return url;
}

StatusOr<std::string> ExtractDatabase(std::string_view body, size_t limit) {
  if (!IsGzip(body)) {
    if (body.size() > limit) return InvalidArgumentError("the downloaded database is larger than allowed");
    if (!HasMetadataMarker(body)) return InvalidArgumentError("the download is neither a gzip archive nor a MaxMind DB");
    return std::string(body);
  }
  PID_ASSIGN_OR_RETURN(std::string tar, Gunzip(body, limit + 64 * 1024));
  PID_ASSIGN_OR_RETURN(std::string database, FindInTar(tar));
  if (database.size() > limit) return InvalidArgumentError("the database in the archive is larger than allowed");
  return database;
}

Status InstallDatabase(std::string_view database, const std::string& target_path) {
  fs::path target(target_path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return UnavailableError("cannot create " + dir.string() + ": " + ec.message());
  std::string tmp = (dir / "geolite.XXXXXX.mmdb.tmp").string();
  int fd = ::mkstemps(tmp.data(), static_cast<int>(std::string_view(".mmdb.tmp").size()));
  if (fd < 0) return UnavailableError("cannot create a temporary file in " + dir.string());
  // Removes the temporary file unless it was renamed into place.
  struct TempFile {
    std::string path;
    bool keep = false;
    ~TempFile() {
      if (!keep) ::unlink(path.c_str());
    }
  } temp{tmp};
  bool written = true;
  for (size_t done = 0; done < database.size();) {
    ssize_t n = ::write(fd, database.data() + done, database.size() - done);
    if (n <= 0) {
      written = false;
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) written = false;
  if (::close(fd) != 0) written = false;
  if (!written) return UnavailableError("cannot write the database to " + tmp);
  // A database that does not open must not replace one that does.
  PID_ASSIGN_OR_RETURN(auto check, MmdbFile::Open(tmp));
  check.reset();
  if (::rename(tmp.c_str(), target_path.c_str()) != 0) {
    return UnavailableError("cannot move the database to " + target_path + ": " + std::strerror(errno));
  }
  temp.keep = true;
  return Status::Ok();
}

StatusOr<std::string> Download(const DownloadRequest& request) {
  auto got = curl::Get({.url = request.url,
                        .timeout = request.timeout,
                        .max_bytes = kMaxDatabaseBytes,
                        .user_agent = "pocket-id/geolite-updater",  // MaxMind answers with a redirect to its storage
                        .cancel = request.cancel});
  if (!got.ok()) {
    if (got.status().code() != StatusCode::kUnavailable || got.status().message() == "the download was cancelled") {
      return got.status();
    }
    return UnavailableError("failed to download the database: " + got.status().message());
  }
  if (got->status != 200) {
    return UnavailableError("failed to download the database, received HTTP " + std::to_string(got->status));
  }
  return std::move(got->body);
}

Status DownloadDatabase(const DownloadRequest& request, const std::string& target_path) {
  PID_ASSIGN_OR_RETURN(std::string body, Download(request));
  PID_ASSIGN_OR_RETURN(std::string database, ExtractDatabase(body));
  body.clear();
  body.shrink_to_fit();
  return InstallDatabase(database, target_path);
}

}  // namespace pocketid::geoip
