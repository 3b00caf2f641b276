#include "users/validation.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace pocketid::users {
namespace {

http::ApiResult<ProfileInput> Parse(std::string_view json, bool require_email = true) {
  return ParseProfile(boost::json::parse(json).as_object(), require_email);
}

TEST(UsernameTest, PocketIdRegex) {
  for (auto ok : {"a", "tim", "tim.cook", "tim_cook-1", "a@b", "Z9"}) EXPECT_TRUE(IsValidUsername(ok)) << ok;
  for (auto bad : {"", "-tim", "tim-", ".a", "a b", "ü", "tim!"}) EXPECT_FALSE(IsValidUsername(bad)) << bad;
}

TEST(ProfileTest, ValidBodyAndDefaults) {
  auto r = Parse(R"({"username":"tim","email":"tim@example.com","firstName":"Tim","lastName":"Cook"})");
  ASSERT_TRUE(std::holds_alternative<ProfileInput>(r));
  const auto& u = std::get<ProfileInput>(r).user;
  EXPECT_EQ(u.display_name, "Tim Cook");
  EXPECT_EQ(u.email, "tim@example.com");
}

TEST(ProfileTest, ValidationErrorsInPocketIdShape) {
  auto missing = Parse(R"({"email":"a@b.c"})");
  auto& e = std::get<http::ApiError>(missing);
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "validation_failed");
  EXPECT_EQ(e.message, "Username is required");
  EXPECT_EQ(e.details.at("fields").as_array()[0].as_object().at("code"), "required");

  EXPECT_EQ(std::get<http::ApiError>(Parse(R"({"username":"tim"})")).message, "Email is required");
  EXPECT_TRUE(std::holds_alternative<ProfileInput>(Parse(R"({"username":"tim"})", false)));
  EXPECT_EQ(std::get<http::ApiError>(Parse(R"({"username":"tim","email":"nope"})")).message,
            "Email must be a valid email address");
  EXPECT_EQ(std::get<http::ApiError>(Parse(R"({"username":"-x","email":"a@b.c"})")).details.at("fields")
                .as_array()[0].as_object().at("code"),
            "invalid_format");
  EXPECT_EQ(std::get<http::ApiError>(Parse(R"({"username":5})")).code, "invalid_request_body");
}

}  // namespace
}  // namespace pocketid::users
