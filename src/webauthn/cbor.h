// A bounded CBOR (RFC 8949) decoder for untrusted WebAuthn input: attestation objects, COSE keys and
// authenticator-data extensions.
//
// Why our own (docs/stack.md §5): general decoders pre-allocate arrays and maps from the declared length,
// so a 5-byte header can demand gigabytes. This one checks every declared length against the bytes that
// are left before looking at it, grows containers one element at a time, and limits nesting, so memory is
// linear in the input size.
//
// Supported: major types 0-5 and 7 (false, true, null and floats), definite lengths only. Rejected:
// indefinite lengths, tags, other simple values (undefined, unassigned), map keys other than integers and
// text strings, duplicate map keys, text strings that are not UTF-8. All errors are kInvalidArgument.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/status/status.h"

namespace pocketid::webauthn {

// Containers nested deeper than this are rejected (a top-level array holding an array is depth 2).
inline constexpr int kMaxCborDepth = 16;

struct CborMapEntry;

// One decoded item. Byte and text strings (and encoded()) are views into the decoder's input, which must
// outlive the value.
class CborValue {
 public:
  enum class Kind : uint8_t { kUnsigned, kNegative, kBytes, kText, kArray, kMap, kBool, kNull, kFloat };

  CborValue() = default;  // null

  Kind kind() const { return kind_; }
  bool is_integer() const { return kind_ == Kind::kUnsigned || kind_ == Kind::kNegative; }

  // The integer's wire argument: the value for kUnsigned, n for a kNegative value of -1-n. With the kind
  // this represents every CBOR integer, including those outside int64.
  uint64_t integer_argument() const { return uint_; }
  // The integer value when it is an integer that fits int64, else nullopt.
  std::optional<int64_t> AsInt64() const;

  std::string_view bytes() const { return kind_ == Kind::kBytes ? string_ : std::string_view(); }
  std::string_view text() const { return kind_ == Kind::kText ? string_ : std::string_view(); }
  const std::vector<CborValue>& array() const { return array_; }
  const std::vector<CborMapEntry>& map() const { return map_; }
  bool boolean() const { return bool_; }
  double float_value() const { return float_; }

  // The item's complete encoding (header and content), a view into the input.
  std::string_view encoded() const { return encoded_; }

  // Map lookups by integer or text key; nullptr when this is not a map or the key is absent.
  const CborValue* Find(int64_t key) const;
  const CborValue* Find(std::string_view key) const;

 private:
  friend class CborDecoder;

  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  uint64_t uint_ = 0;
  double float_ = 0;
  std::string_view string_;
  std::string_view encoded_;
  std::vector<CborValue> array_;
  std::vector<CborMapEntry> map_;  // in wire order
};

struct CborMapEntry {
  CborValue key;
  CborValue value;
};

// Decodes the first CBOR item of `in`. When `consumed` is non-null it receives the item's length and bytes
// after it are allowed (authenticator data puts extensions after the COSE key); when it is null, trailing
// bytes are an error.
StatusOr<CborValue> DecodeCbor(std::span<const uint8_t> in, size_t* consumed);

// The same over bytes carried in a string (the project's usual byte container).
StatusOr<CborValue> DecodeCbor(std::string_view in, size_t* consumed);

// "unsigned integer", "byte string", ...: for error messages.
std::string_view CborKindName(CborValue::Kind kind);

}  // namespace pocketid::webauthn
