#include "core/http/multipart.h"

#include <gtest/gtest.h>

namespace pocketid::http {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=XyZ";

TEST(MultipartTest, ReadsFileAndFieldParts) {
  std::string body =
      "preamble\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
      "hello\r\n"
      "--XyZ  \r\n"
      "content-disposition: form-data; name=\"file\"; filename=\"C:/x/logo.PNG\"\r\n"
      "Content-Type: image/png\r\n\r\n"
      "\x89PNG\r\n\r\n--Xy\r\n"
      "--XyZ--\r\nepilogue";
  auto parts = ParseMultipartFormData(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status().message();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "note");
  EXPECT_FALSE((*parts)[0].filename.has_value());
  EXPECT_EQ((*parts)[0].body, "hello");
  EXPECT_EQ((*parts)[1].name, "file");
  EXPECT_EQ((*parts)[1].filename, "logo.PNG");
  EXPECT_EQ((*parts)[1].content_type, "image/png");
  EXPECT_EQ((*parts)[1].body, "\x89PNG\r\n\r\n--Xy");

  const MultipartPart* file = FindFilePart(*parts, "file");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->filename, "logo.PNG");
  EXPECT_EQ(FindFilePart(*parts, "note"), nullptr);  // a plain field is not a file
}

TEST(MultipartTest, QuotedBoundaryAndEmptyBody) {
  auto parts = ParseMultipartFormData("Multipart/Form-Data; boundary=\"a b\"",
                                      "--a b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n\r\n"
                                      "\r\n--a b--");
  ASSERT_TRUE(parts.ok()) << parts.status().message();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].body, "");
  EXPECT_EQ((*parts)[0].filename, "");
  EXPECT_EQ(FindFilePart(*parts, "f"), nullptr);  // empty filename: Go treats it as a value
}

TEST(MultipartTest, RejectsMalformedInput) {
  EXPECT_FALSE(ParseMultipartFormData("application/json", "{}").ok());
  EXPECT_FALSE(ParseMultipartFormData("multipart/form-data", "--x\r\n\r\n\r\n--x--").ok());
  EXPECT_FALSE(ParseMultipartFormData("multipart/form-data; boundary=", "").ok());
  EXPECT_FALSE(ParseMultipartFormData(kType, "no boundary here").ok());
  // Truncated: no closing delimiter after the part.
  EXPECT_FALSE(ParseMultipartFormData(kType, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nbody").ok());
  // Unterminated headers.
  EXPECT_FALSE(ParseMultipartFormData(kType, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n").ok());
  // Header line without a colon.
  EXPECT_FALSE(ParseMultipartFormData(kType, "--XyZ\r\nbogus\r\n\r\nx\r\n--XyZ--").ok());
  // Bad disposition parameter.
  EXPECT_FALSE(ParseMultipartFormData(kType, "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--").ok());
  // Garbage after a delimiter.
  EXPECT_FALSE(ParseMultipartFormData(kType, "--XyZjunk\r\n\r\nx\r\n--XyZ--").ok());
}

TEST(MultipartTest, LimitsPartCount) {
  std::string body;
  for (size_t i = 0; i <= kMaxMultipartParts; ++i) body += "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n";
  body += "--XyZ--";
  EXPECT_FALSE(ParseMultipartFormData(kType, body).ok());
}

TEST(MultipartTest, HeaderValues) {
  auto v = ParseHeaderValue("form-data; name=\"a\\\"b\"; filename=x.png");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->token, "form-data");
  EXPECT_EQ(v->Param("name"), "a\"b");
  EXPECT_EQ(v->Param("filename"), "x.png");
  EXPECT_FALSE(ParseHeaderValue("form-data; name=a; name=b"));
  EXPECT_FALSE(ParseHeaderValue("; name=a"));
  EXPECT_TRUE(ParseHeaderValue("multipart/form-data; boundary=abc;"));
}

}  // namespace
}  // namespace pocketid::http
