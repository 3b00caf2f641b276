#include "core/crypto/encoding.h"

#include <array>
#include <cstdint>

namespace pocketid::crypto {
namespace {

constexpr std::string_view kStdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

enum class Padding { kForbidden, kRequired, kOptional };

struct DecodeMode {
  bool std_alphabet;
  bool url_alphabet;
  Padding padding;
  bool strict_trailing_bits;
};

constexpr DecodeMode kUrlStrict{false, true, Padding::kForbidden, true};
constexpr DecodeMode kLenient{true, true, Padding::kOptional, false};
constexpr DecodeMode kGoStd{true, false, Padding::kRequired, false};

constexpr int8_t kInvalid = -1;

// Reverse lookup table for one alphabet; 256 entries so any byte can index it.
constexpr std::array<int8_t, 256> MakeTable(std::string_view alphabet) {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = kInvalid;
  for (size_t i = 0; i < alphabet.size(); ++i) table[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr auto kStdTable = MakeTable(kStdAlphabet);
constexpr auto kUrlTable = MakeTable(kUrlAlphabet);

Status IllegalAt(size_t pos) {
  return InvalidArgumentError("illegal base64 data at input byte " + std::to_string(pos));
}

std::string Encode(std::string_view in, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    out.push_back(alphabet[v & 63]);
  }
  const size_t rest = in.size() - i;
  if (rest == 0) return out;
  uint32_t v = uint32_t{p[i]} << 16;
  if (rest == 2) v |= uint32_t{p[i + 1]} << 8;
  out.push_back(alphabet[(v >> 18) & 63]);
  out.push_back(alphabet[(v >> 12) & 63]);
  if (rest == 2) out.push_back(alphabet[(v >> 6) & 63]);
  if (pad) out.append(rest == 1 ? "==" : "=");
  return out;
}

int SextetOf(char c, const DecodeMode& mode) {
  const auto b = static_cast<unsigned char>(c);
  if (mode.url_alphabet && kUrlTable[b] != kInvalid) return kUrlTable[b];
  if (mode.std_alphabet && kStdTable[b] != kInvalid) return kStdTable[b];
  return kInvalid;
}

// Splits off trailing '=' and checks the padding rule; returns the data part's length or an error.
StatusOr<size_t> DataLength(std::string_view in, const DecodeMode& mode) {
  size_t pads = 0;
  while (pads < in.size() && pads < 3 && in[in.size() - 1 - pads] == '=') ++pads;
  const size_t data_len = in.size() - pads;
  if (pads > 0) {
    if (mode.padding == Padding::kForbidden) return IllegalAt(data_len);
    // Padding must complete the final quantum exactly: 2 chars + "==" or 3 chars + "=".
    if (pads > 2 || in.size() % 4 != 0 || (data_len % 4) + pads != 4) return IllegalAt(data_len);
  } else if (mode.padding == Padding::kRequired && in.size() % 4 != 0) {
    return IllegalAt(in.size() - in.size() % 4);
  }
  if (data_len % 4 == 1) return IllegalAt(data_len - 1);
  return data_len;
}

StatusOr<std::string> Decode(std::string_view in, const DecodeMode& mode) {
  PID_ASSIGN_OR_RETURN(const size_t data_len, DataLength(in, mode));
  std::string out;
  out.reserve(data_len / 4 * 3 + 2);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < data_len; ++i) {
    const int v = SextetOf(in[i], mode);
    if (v == kInvalid) return IllegalAt(i);
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Leftover bits (2 or 4) must be zero in a canonical encoding.
  if (mode.strict_trailing_bits && bits > 0 && (acc & ((1u << bits) - 1)) != 0) return IllegalAt(data_len - 1);
  return out;
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) { return Encode(bytes, kUrlAlphabet, false); }

StatusOr<std::string> Base64UrlDecode(std::string_view text) { return Decode(text, kUrlStrict); }

StatusOr<std::string> Base64DecodeLenient(std::string_view text) { return Decode(text, kLenient); }

std::string Base64StdEncode(std::string_view bytes) { return Encode(bytes, kStdAlphabet, true); }

StatusOr<std::string> Base64StdDecode(std::string_view text) {
  if (text.find_first_of("\r\n") == std::string_view::npos) return Decode(text, kGoStd);
  std::string stripped;
  stripped.reserve(text.size());
  for (char c : text) {
    if (c != '\r' && c != '\n') stripped.push_back(c);
  }
  return Decode(stripped, kGoStd);
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

}  // namespace pocketid::crypto
