#include "oidcclients/logo.h"


#include <array>
#include <cctype>

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

}  // namespace pocketid::oidcclients
