#include "core/crypto/encoding.h"

#include <gtest/gtest.h>

#include "core/crypto/random.h"

namespace pocketid::crypto {
namespace {

TEST(EncodingTest, Base64UrlEncodeRfc4648Vectors) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foob"), "Zm9vYg");
  EXPECT_EQ(Base64UrlEncode("fooba"), "Zm9vYmE");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode(std::string("\xfb\xff\xbf", 3)), "-_-_");  // URL alphabet, not +/
  EXPECT_EQ(Base64UrlEncode(std::string("\0\0", 2)), "AAA");
}

TEST(EncodingTest, Base64UrlDecodeAcceptsCanonical) {
  EXPECT_EQ(*Base64UrlDecode(""), "");
  EXPECT_EQ(*Base64UrlDecode("Zg"), "f");
  EXPECT_EQ(*Base64UrlDecode("Zm8"), "fo");
  EXPECT_EQ(*Base64UrlDecode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(*Base64UrlDecode("-_-_"), std::string("\xfb\xff\xbf", 3));
}

TEST(EncodingTest, Base64UrlDecodeRejects) {
  for (const char* bad :
       {"Zg==", "Zm8=", "Z", "Zm9vY", "Zm9v!", "Zm+v", "Zm/v", "Zm9 v", "Zm9v\n", "Zh", "Zm9", "=", "Zm=v"}) {
    auto r = Base64UrlDecode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
  // "Zh": 'h' leaves non-zero trailing bits; the canonical form of "f" is "Zg".
  EXPECT_EQ(Base64UrlDecode("Zh").status().message(), "illegal base64 data at input byte 1");
  EXPECT_EQ(Base64UrlDecode("Zm9v!").status().message(), "illegal base64 data at input byte 4");
}

TEST(EncodingTest, Base64UrlRoundTripAllLengths) {
  for (size_t n = 0; n < 70; ++n) {
    const std::string bytes = RandomBytes(n);
    const std::string text = Base64UrlEncode(bytes);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    auto back = Base64UrlDecode(text);
    ASSERT_TRUE(back.ok()) << text;
    EXPECT_EQ(*back, bytes);
  }
}

TEST(EncodingTest, Base64StdMatchesGoStdEncoding) {
  EXPECT_EQ(Base64StdEncode(""), "");
  EXPECT_EQ(Base64StdEncode("f"), "Zg==");
  EXPECT_EQ(Base64StdEncode("fo"), "Zm8=");
  EXPECT_EQ(Base64StdEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64StdEncode(std::string("\xfb\xff\xbf", 3)), "+/+/");
  EXPECT_EQ(*Base64StdDecode("Zg=="), "f");
  EXPECT_EQ(*Base64StdDecode("Zm8="), "fo");
  EXPECT_EQ(*Base64StdDecode("+/+/"), std::string("\xfb\xff\xbf", 3));
  EXPECT_EQ(*Base64StdDecode("Zm9v\r\nYmFy"), "foobar");  // Go skips CR/LF
  EXPECT_EQ(*Base64StdDecode("Zh=="), "f");               // Go's non-strict mode ignores trailing bits
  for (const char* bad : {"Zg", "Zg=", "Zg===", "Z===", "Zm9vY", "-_-_", "Zg==Zg==", "Zm9v YmFy", "=Zg="}) {
    EXPECT_FALSE(Base64StdDecode(bad).ok()) << bad;
  }
}

TEST(EncodingTest, LenientDecoderForJwkMembers) {
  EXPECT_EQ(*Base64DecodeLenient("Zg"), "f");
  EXPECT_EQ(*Base64DecodeLenient("Zg=="), "f");
  EXPECT_EQ(*Base64DecodeLenient("+/+/"), std::string("\xfb\xff\xbf", 3));
  EXPECT_EQ(*Base64DecodeLenient("-_-_"), std::string("\xfb\xff\xbf", 3));
  EXPECT_FALSE(Base64DecodeLenient("Zg=").ok());
  EXPECT_FALSE(Base64DecodeLenient("Z").ok());
  EXPECT_FALSE(Base64DecodeLenient("Zm9v!").ok());
}

TEST(EncodingTest, HexEncode) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
}

}  // namespace
}  // namespace pocketid::crypto
