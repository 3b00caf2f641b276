#include "webauthn/cbor.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace pocketid::webauthn {

// Decodes one item at a time from a cursor over the input. Every length read from the wire is compared
// with remaining() before it is used, and nothing is reserved from it.
class CborDecoder {
 public:
  explicit CborDecoder(std::span<const uint8_t> in) : in_(in) {}

  StatusOr<CborValue> DecodeItem(int depth);
  size_t position() const { return pos_; }

 private:
  enum Major : uint8_t { kUnsigned = 0, kNegative, kBytes, kText, kArray, kMap, kTag, kSimple };

  size_t remaining() const { return in_.size() - pos_; }
  std::string_view View(size_t from, size_t len) const {
    return std::string_view(reinterpret_cast<const char*>(in_.data()) + from, len);
  }
  Status Error(std::string what) const {
    return InvalidArgumentError("CBOR: " + what + " at offset " + std::to_string(pos_));
  }

  StatusOr<uint64_t> ReadUint(size_t width);
  StatusOr<uint64_t> ReadArgument(uint8_t info);
  Status DecodeString(uint64_t len, bool text, CborValue& out);
  Status DecodeArray(uint64_t count, int depth, CborValue& out);
  Status DecodeMap(uint64_t count, int depth, CborValue& out);
  Status DecodeSimple(uint8_t info, CborValue& out);

  std::span<const uint8_t> in_;
  size_t pos_ = 0;
};

namespace {

// Length of the UTF-8 sequence a lead byte starts (0: not a lead byte) and the lead byte's payload bits.
size_t Utf8SequenceLength(unsigned char c, uint32_t& cp) {
  if ((c & 0xe0) == 0xc0) {
    cp = c & 0x1f;
    return 2;
  }
  if ((c & 0xf0) == 0xe0) {
    cp = c & 0x0f;
    return 3;
  }
  if ((c & 0xf8) == 0xf0) {
    cp = c & 0x07;
    return 4;
  }
  return 0;
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t len = Utf8SequenceLength(c, cp);
    if (len == 0 || s.size() - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

double HalfToDouble(uint16_t h) {
  const int exp = (h >> 10) & 0x1f;
  const int mant = h & 0x3ff;
  double v;
  if (exp == 0) {
    v = std::ldexp(mant, -24);
  } else if (exp != 31) {
    v = std::ldexp(mant + 1024, exp - 25);
  } else {
    v = mant == 0 ? INFINITY : NAN;
  }
  return (h & 0x8000) ? -v : v;
}

// A strict weak order over map keys (integers and text), used to find duplicates in O(n log n).
bool KeyLess(const CborValue* a, const CborValue* b) {
  if (a->kind() != b->kind()) return a->kind() < b->kind();
  if (a->is_integer()) return a->integer_argument() < b->integer_argument();
  return a->text() < b->text();
}

bool KeyEqual(const CborValue* a, const CborValue* b) { return !KeyLess(a, b) && !KeyLess(b, a); }

}  // namespace

StatusOr<uint64_t> CborDecoder::ReadUint(size_t width) {
  if (remaining() < width) return Error("truncated item header");
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v = (v << 8) | in_[pos_ + i];
  pos_ += width;
  return v;
}

StatusOr<uint64_t> CborDecoder::ReadArgument(uint8_t info) {
  if (info < 24) return uint64_t{info};
  switch (info) {
    case 24:
      return ReadUint(1);
    case 25:
      return ReadUint(2);
    case 26:
      return ReadUint(4);
    case 27:
      return ReadUint(8);
    case 31:
      return Error("indefinite-length items are not supported");
    default:
      return Error("reserved additional information value " + std::to_string(info));
  }
}

Status CborDecoder::DecodeString(uint64_t len, bool text, CborValue& out) {
  if (len > remaining()) {
    return Error("string length " + std::to_string(len) + " exceeds the " + std::to_string(remaining()) +
                 " bytes left");
  }
  out.kind_ = text ? CborValue::Kind::kText : CborValue::Kind::kBytes;
  out.string_ = View(pos_, static_cast<size_t>(len));
  if (text && !IsValidUtf8(out.string_)) return Error("text string is not valid UTF-8");
  pos_ += static_cast<size_t>(len);
  return Status::Ok();
}

Status CborDecoder::DecodeArray(uint64_t count, int depth, CborValue& out) {
  // Every element takes at least one byte, so a count above the bytes left cannot be honest.
  if (count > remaining()) {
    return Error("array of " + std::to_string(count) + " items exceeds the " + std::to_string(remaining()) +
                 " bytes left");
  }
  out.kind_ = CborValue::Kind::kArray;
  for (uint64_t i = 0; i < count; ++i) {
    PID_ASSIGN_OR_RETURN(CborValue item, DecodeItem(depth + 1));
    out.array_.push_back(std::move(item));
  }
  return Status::Ok();
}

Status CborDecoder::DecodeMap(uint64_t count, int depth, CborValue& out) {
  if (count > remaining() / 2) {
    return Error("map of " + std::to_string(count) + " entries exceeds the " + std::to_string(remaining()) +
                 " bytes left");
  }
  out.kind_ = CborValue::Kind::kMap;
  for (uint64_t i = 0; i < count; ++i) {
    const size_t key_pos = pos_;
    PID_ASSIGN_OR_RETURN(CborValue key, DecodeItem(depth + 1));
    if (!key.is_integer() && key.kind() != CborValue::Kind::kText) {
      pos_ = key_pos;
      return Error("map key must be an integer or a text string, not a " + std::string(CborKindName(key.kind())));
    }
    PID_ASSIGN_OR_RETURN(CborValue value, DecodeItem(depth + 1));
    out.map_.push_back(CborMapEntry{std::move(key), std::move(value)});
  }
  std::vector<const CborValue*> keys;
  keys.reserve(out.map_.size());  // sized from what was decoded, not from the wire
  for (const CborMapEntry& e : out.map_) keys.push_back(&e.key);
  std::sort(keys.begin(), keys.end(), KeyLess);
  if (std::adjacent_find(keys.begin(), keys.end(), KeyEqual) != keys.end()) return Error("duplicate map key");
  return Status::Ok();
}

Status CborDecoder::DecodeSimple(uint8_t info, CborValue& out) {
  switch (info) {
    case 20:
    case 21:
      out.kind_ = CborValue::Kind::kBool;
      out.bool_ = info == 21;
      return Status::Ok();
    case 22:
      out.kind_ = CborValue::Kind::kNull;
      return Status::Ok();
    case 25: {
      PID_ASSIGN_OR_RETURN(const uint64_t bits, ReadUint(2));
      out.kind_ = CborValue::Kind::kFloat;
      out.float_ = HalfToDouble(static_cast<uint16_t>(bits));
      return Status::Ok();
    }
    case 26: {
      PID_ASSIGN_OR_RETURN(const uint64_t bits, ReadUint(4));
      const auto b32 = static_cast<uint32_t>(bits);
      float f;
      std::memcpy(&f, &b32, sizeof(f));
      out.kind_ = CborValue::Kind::kFloat;
      out.float_ = f;
      return Status::Ok();
    }
    case 27: {
      PID_ASSIGN_OR_RETURN(const uint64_t bits, ReadUint(8));
      out.kind_ = CborValue::Kind::kFloat;
      std::memcpy(&out.float_, &bits, sizeof(out.float_));
      return Status::Ok();
    }
    case 31:
      return Error("unexpected break (indefinite-length items are not supported)");
    default:
      return Error("unsupported simple value " + std::to_string(info));
  }
}

StatusOr<CborValue> CborDecoder::DecodeItem(int depth) {
  const size_t start = pos_;
  if (remaining() == 0) return Error("unexpected end of input");
  const uint8_t initial = in_[pos_++];
  const auto major = static_cast<Major>(initial >> 5);
  const auto info = static_cast<uint8_t>(initial & 0x1f);
  CborValue out;
  if (major == kTag) {
    pos_ = start;
    return Error("tags are not supported");
  }
  if (major == kSimple) {
    PID_RETURN_IF_ERROR(DecodeSimple(info, out));
    out.encoded_ = View(start, pos_ - start);
    return out;
  }
  PID_ASSIGN_OR_RETURN(const uint64_t arg, ReadArgument(info));
  if ((major == kArray || major == kMap) && depth >= kMaxCborDepth) {
    pos_ = start;
    return Error("nesting deeper than " + std::to_string(kMaxCborDepth));
  }
  switch (major) {
    case kUnsigned:
    case kNegative:
      out.kind_ = major == kUnsigned ? CborValue::Kind::kUnsigned : CborValue::Kind::kNegative;
      out.uint_ = arg;
      break;
    case kBytes:
    case kText:
      PID_RETURN_IF_ERROR(DecodeString(arg, major == kText, out));
      break;
    case kArray:
      PID_RETURN_IF_ERROR(DecodeArray(arg, depth, out));
      break;
    case kMap:
      PID_RETURN_IF_ERROR(DecodeMap(arg, depth, out));
      break;
    default:
      break;  // kTag and kSimple were handled above
  }
  out.encoded_ = View(start, pos_ - start);
  return out;
}

std::optional<int64_t> CborValue::AsInt64() const {
  constexpr auto kMax = static_cast<uint64_t>(INT64_MAX);
  if (kind_ == Kind::kUnsigned) {
    if (uint_ > kMax) return std::nullopt;
    return static_cast<int64_t>(uint_);
  }
  if (kind_ == Kind::kNegative) {
    if (uint_ > kMax) return std::nullopt;  // -1 - n >= INT64_MIN  <=>  n <= INT64_MAX
    return -1 - static_cast<int64_t>(uint_);
  }
  return std::nullopt;
}

const CborValue* CborValue::Find(int64_t key) const {
  for (const CborMapEntry& e : map_) {
    if (e.key.AsInt64() == key) return &e.value;
  }
  return nullptr;
}

const CborValue* CborValue::Find(std::string_view key) const {
  for (const CborMapEntry& e : map_) {
    if (e.key.kind() == Kind::kText && e.key.text() == key) return &e.value;
  }
  return nullptr;
}

StatusOr<CborValue> DecodeCbor(std::span<const uint8_t> in, size_t* consumed) {
  CborDecoder decoder(in);
  PID_ASSIGN_OR_RETURN(CborValue value, decoder.DecodeItem(0));
  if (consumed != nullptr) {
    *consumed = decoder.position();
  } else if (decoder.position() != in.size()) {
    return InvalidArgumentError("CBOR: " + std::to_string(in.size() - decoder.position()) +
                                " trailing bytes after the item");
  }
  return value;
}

StatusOr<CborValue> DecodeCbor(std::string_view in, size_t* consumed) {
  return DecodeCbor(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(in.data()), in.size()), consumed);
}

std::string_view CborKindName(CborValue::Kind kind) {
  switch (kind) {
    case CborValue::Kind::kUnsigned:
      return "unsigned integer";
    case CborValue::Kind::kNegative:
      return "negative integer";
    case CborValue::Kind::kBytes:
      return "byte string";
    case CborValue::Kind::kText:
      return "text string";
    case CborValue::Kind::kArray:
      return "array";
    case CborValue::Kind::kMap:
      return "map";
    case CborValue::Kind::kBool:
      return "boolean";
    case CborValue::Kind::kNull:
      return "null";
    case CborValue::Kind::kFloat:
      return "float";
  }
  return "item";
}

}  // namespace pocketid::webauthn
