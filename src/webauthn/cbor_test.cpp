#include "webauthn/cbor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <limits>

#include "webauthn/test_util.h"

namespace pocketid::webauthn {
namespace {

using testing::Hex;
using Kind = CborValue::Kind;

StatusOr<CborValue> Decode(const std::string& bytes) { return DecodeCbor(std::string_view(bytes), nullptr); }

// Decoded values hold views into their input, so the inputs are kept for the whole test run.
CborValue MustDecode(const std::string& bytes) {
  static std::deque<std::string> inputs;
  inputs.push_back(bytes);
  auto v = Decode(inputs.back());
  EXPECT_TRUE(v.ok()) << v.status().message();
  return v.ok() ? std::move(v).value() : CborValue();
}

void ExpectError(const std::string& bytes, std::string_view needle) {
  auto v = Decode(bytes);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(v.status().message().find(needle), std::string::npos) << v.status().message() << " / " << needle;
}

TEST(CborTest, UnsignedIntegers) {
  EXPECT_EQ(MustDecode(Hex("00")).AsInt64(), 0);
  EXPECT_EQ(MustDecode(Hex("17")).AsInt64(), 23);
  EXPECT_EQ(MustDecode(Hex("1818")).AsInt64(), 24);
  EXPECT_EQ(MustDecode(Hex("190100")).AsInt64(), 256);
  EXPECT_EQ(MustDecode(Hex("1a000f4240")).AsInt64(), 1000000);
  EXPECT_EQ(MustDecode(Hex("1b7fffffffffffffff")).AsInt64(), std::numeric_limits<int64_t>::max());
  const CborValue max = MustDecode(Hex("1bffffffffffffffff"));
  EXPECT_EQ(max.kind(), Kind::kUnsigned);
  EXPECT_EQ(max.integer_argument(), std::numeric_limits<uint64_t>::max());
  EXPECT_FALSE(max.AsInt64().has_value());
}

TEST(CborTest, NegativeIntegers) {
  EXPECT_EQ(MustDecode(Hex("20")).AsInt64(), -1);
  EXPECT_EQ(MustDecode(Hex("3863")).AsInt64(), -100);
  EXPECT_EQ(MustDecode(Hex("390100")).AsInt64(), -257);
  EXPECT_EQ(MustDecode(Hex("3b7fffffffffffffff")).AsInt64(), std::numeric_limits<int64_t>::min());
  const CborValue min = MustDecode(Hex("3bffffffffffffffff"));  // -2^64
  EXPECT_EQ(min.kind(), Kind::kNegative);
  EXPECT_EQ(min.integer_argument(), std::numeric_limits<uint64_t>::max());
  EXPECT_FALSE(min.AsInt64().has_value());
}

TEST(CborTest, ByteAndTextStringsAreViewsIntoTheInput) {
  const std::string in = Hex("43010203");
  auto v = DecodeCbor(std::string_view(in), nullptr);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->kind(), Kind::kBytes);
  EXPECT_EQ(v->bytes(), Hex("010203"));
  EXPECT_EQ(v->bytes().data(), in.data() + 1);
  EXPECT_EQ(v->encoded(), in);
  EXPECT_EQ(MustDecode(Hex("40")).bytes(), "");
  const CborValue text = MustDecode(Hex("6449455446"));
  EXPECT_EQ(text.kind(), Kind::kText);
  EXPECT_EQ(text.text(), "IETF");
  EXPECT_EQ(MustDecode(Hex("62c3bc")).text(), "\xc3\xbc");  // "ü"
}

TEST(CborTest, Arrays) {
  const CborValue v = MustDecode(Hex("8301820203820405"));  // [1, [2, 3], [4, 5]]
  ASSERT_EQ(v.kind(), Kind::kArray);
  ASSERT_EQ(v.array().size(), 3u);
  EXPECT_EQ(v.array()[0].AsInt64(), 1);
  ASSERT_EQ(v.array()[1].array().size(), 2u);
  EXPECT_EQ(v.array()[2].array()[1].AsInt64(), 5);
  EXPECT_EQ(v.array()[1].encoded(), Hex("820203"));
  EXPECT_TRUE(MustDecode(Hex("80")).array().empty());
}

TEST(CborTest, MapsWithIntegerAndTextKeys) {
  // {1: 2, -1: h'00', "fmt": "none"}
  const CborValue v = MustDecode(Hex("a30102204100636" "66d74646e6f6e65"));
  ASSERT_EQ(v.kind(), Kind::kMap);
  ASSERT_EQ(v.map().size(), 3u);
  EXPECT_EQ(v.map()[0].key.AsInt64(), 1);  // wire order is kept
  EXPECT_EQ(v.Find(1)->AsInt64(), 2);
  EXPECT_EQ(v.Find(-1)->bytes(), std::string(1, '\0'));
  EXPECT_EQ(v.Find("fmt")->text(), "none");
  EXPECT_EQ(v.Find(2), nullptr);
  EXPECT_EQ(v.Find("authData"), nullptr);
  EXPECT_EQ(MustDecode(Hex("01")).Find(1), nullptr);  // not a map
}

TEST(CborTest, SimpleValuesAndFloats) {
  EXPECT_EQ(MustDecode(Hex("f4")).kind(), Kind::kBool);
  EXPECT_FALSE(MustDecode(Hex("f4")).boolean());
  EXPECT_TRUE(MustDecode(Hex("f5")).boolean());
  EXPECT_EQ(MustDecode(Hex("f6")).kind(), Kind::kNull);
  EXPECT_EQ(MustDecode(Hex("f93c00")).float_value(), 1.0);
  EXPECT_EQ(MustDecode(Hex("f9c400")).float_value(), -4.0);
  EXPECT_EQ(MustDecode(Hex("f90001")).float_value(), 5.960464477539063e-8);  // smallest subnormal
  EXPECT_TRUE(std::isinf(MustDecode(Hex("f97c00")).float_value()));
  EXPECT_TRUE(std::isnan(MustDecode(Hex("f97e00")).float_value()));
  EXPECT_EQ(MustDecode(Hex("fa47c35000")).float_value(), 100000.0);
  EXPECT_EQ(MustDecode(Hex("fb3ff199999999999a")).float_value(), 1.1);
  EXPECT_EQ(MustDecode(Hex("fa47c35000")).kind(), Kind::kFloat);
}

TEST(CborTest, RejectsOtherSimpleValues) {
  ExpectError(Hex("f7"), "unsupported simple value 23");  // undefined
  ExpectError(Hex("e0"), "unsupported simple value 0");
  ExpectError(Hex("f820"), "unsupported simple value 24");
  ExpectError(Hex("ff"), "unexpected break");
}

TEST(CborTest, RejectsIndefiniteLengths) {
  for (const char* hex : {"5f4101ff", "7f6161ff", "9f01ff", "bf0101ff"}) {
    SCOPED_TRACE(hex);
    ExpectError(Hex(hex), "indefinite-length items are not supported");
  }
}

TEST(CborTest, RejectsTags) {
  ExpectError(Hex("c074323031332d30332d32315432303a30343a30305a"), "tags are not supported");
  ExpectError(Hex("d818456449455446"), "tags are not supported");
  ExpectError(Hex("81c101"), "tags are not supported");  // nested
}

TEST(CborTest, RejectsReservedAdditionalInformation) {
  ExpectError(Hex("1c"), "reserved additional information value 28");
  ExpectError(Hex("5d"), "reserved additional information value 29");
}

TEST(CborTest, RejectsTruncatedInput) {
  ExpectError("", "unexpected end of input");
  ExpectError(Hex("1901"), "truncated item header");
  ExpectError(Hex("1b00000000"), "truncated item header");
  ExpectError(Hex("430102"), "string length 3 exceeds the 2 bytes left");
  ExpectError(Hex("821818"), "unexpected end of input");  // the count fits, the items do not
  ExpectError(Hex("a201"), "map of 2 entries exceeds");
}

TEST(CborTest, HugeDeclaredLengthsFailBeforeAnyAllocation) {
  // Under ASan a multi-gigabyte allocation would abort the test (allocation-size-too-big).
  ExpectError(Hex("5bffffffffffffffff"), "string length 18446744073709551615 exceeds the 0 bytes left");
  ExpectError(Hex("7b7fffffffffffffff00"), "exceeds the 1 bytes left");
  ExpectError(Hex("9b00000001000000000102"), "array of 4294967296 items exceeds the 2 bytes left");
  ExpectError(Hex("bbffffffffffffffff0102"), "map of 18446744073709551615 entries exceeds");
  ExpectError(Hex("9a2158209401"), "array of 559423636 items exceeds");  // the libcbor +4 GB input
  // A declared count that fits the input but whose items do not exist still fails cleanly.
  ExpectError(Hex("8a1800") + std::string(8, '\0'), "unexpected end of input");
}

TEST(CborTest, DepthLimit) {
  std::string ok(kMaxCborDepth, '\x81');
  ok.push_back('\0');
  EXPECT_TRUE(Decode(ok).ok());
  std::string too_deep(kMaxCborDepth + 1, '\x81');
  too_deep.push_back('\0');
  ExpectError(too_deep, "nesting deeper than 16");
  // Maps count as nesting too.
  std::string maps;
  for (int i = 0; i <= kMaxCborDepth; ++i) maps += Hex("a101");
  maps.push_back('\0');
  ExpectError(maps, "nesting deeper than 16");
}

TEST(CborTest, DepthBombFailsFast) {
  // 1 MB of nested one-element arrays: rejected at level 17, without recursing further.
  std::string bomb(1 << 20, '\x81');
  ExpectError(bomb, "nesting deeper than 16");
  const std::string wide = Hex("99ffff") + std::string(0xffff, '\x80');  // wide, not deep: fine
  EXPECT_TRUE(Decode(wide).ok());
}

TEST(CborTest, RejectsDuplicateMapKeys) {
  ExpectError(Hex("a201000100"), "duplicate map key");
  ExpectError(Hex("a2616100616101"), "duplicate map key");
  ExpectError(Hex("a3200001002000"), "duplicate map key");  // -1 twice, not adjacent
  // 1 and "1", 0 and -1 are different keys.
  EXPECT_TRUE(Decode(Hex("a20100613100")).ok());
  EXPECT_TRUE(Decode(Hex("a200002000")).ok());
}

TEST(CborTest, RejectsMapKeysOfOtherTypes) {
  ExpectError(Hex("a1410100"), "map key must be an integer or a text string, not a byte string");
  ExpectError(Hex("a1f500"), "not a boolean");
  ExpectError(Hex("a1800000"), "not a array");
  ExpectError(Hex("a1a00000"), "not a map");
}

TEST(CborTest, RejectsInvalidUtf8) {
  ExpectError(Hex("62c328"), "text string is not valid UTF-8");
  ExpectError(Hex("62c0af"), "not valid UTF-8");      // overlong
  ExpectError(Hex("63eda080"), "not valid UTF-8");    // surrogate
  ExpectError(Hex("64f4908080"), "not valid UTF-8");  // > U+10FFFF
  ExpectError(Hex("61ff"), "not valid UTF-8");
  EXPECT_TRUE(Decode(Hex("64f09f9880")).ok());  // U+1F600
}

TEST(CborTest, ConsumedAllowsTrailingBytes) {
  const std::string in = Hex("820102ff00");
  size_t consumed = 0;
  auto v = DecodeCbor(std::string_view(in), &consumed);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(consumed, 3u);
  auto strict = DecodeCbor(std::string_view(in), nullptr);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.status().message(), "CBOR: 2 trailing bytes after the item");
}

TEST(CborTest, SpanOverload) {
  const uint8_t in[] = {0xa1, 0x01, 0x02};
  size_t consumed = 0;
  auto v = DecodeCbor(std::span<const uint8_t>(in), &consumed);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(consumed, 3u);
  EXPECT_EQ(v->Find(1)->AsInt64(), 2);
}

TEST(CborTest, ErrorMessagesNameTheOffset) {
  auto v = Decode(Hex("8201c0"));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(), "CBOR: tags are not supported at offset 2");
}

}  // namespace
}  // namespace pocketid::webauthn
