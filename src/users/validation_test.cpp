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

TEST(ProfileTest, StaticApiUserIdIsReserved) {
  auto r = Parse(R"({"id":"00000000-0000-0000-0000-000000000000","username":"x","email":"x@example.com"})");
  ASSERT_TRUE(std::holds_alternative<http::ApiError>(r));
  EXPECT_EQ(std::get<http::ApiError>(r).message, "Id is invalid");
}

TEST(ProfileTest, StringsAreNfcNormalised) {
  auto r = Parse(R"({"username":"tim","email":"tim@example.com","firstName":"Rene\u0301","lastName":"Cook"})");
  ASSERT_TRUE(std::holds_alternative<ProfileInput>(r));
  EXPECT_EQ(std::get<ProfileInput>(r).user.first_name, "Ren\xC3\xA9");
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

namespace pocketid::users {
namespace {

http::ApiResult<ProfileInput> ParseAdmin(std::string_view json, bool require_email = false) {
  return ParseProfile(boost::json::parse(json).as_object(), require_email, {.default_display_name = false});
}

TEST(ProfileTest, ReportsEveryInvalidFieldInDtoOrder) {
  auto r = ParseAdmin(R"({"id":"nope","username":"-x","email":"bad","firstName":")" + std::string(51, 'a') +
                      R"(","displayName":")" + std::string(101, 'b') + R"("})");
  auto& e = std::get<http::ApiError>(r);
  EXPECT_EQ(e.code, "validation_failed");
  const auto& fields = e.details.at("fields").as_array();
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields[0].as_object().at("field"), "id");
  EXPECT_EQ(fields[0].as_object().at("code"), "uuid");
  EXPECT_EQ(fields[1].as_object().at("field"), "username");
  EXPECT_EQ(fields[2].as_object().at("field"), "email");
  EXPECT_EQ(fields[3].as_object().at("code"), "too_long");
  EXPECT_EQ(fields[4].as_object().at("field"), "displayName");
  EXPECT_EQ(e.message.rfind("Id is invalid, username must only contain", 0), 0u) << e.message;
}

TEST(ProfileTest, UsernameFormatIsCheckedBeforeLength) {
  auto long_bad = ParseAdmin(R"({"username":")" + std::string(60, 'a') + R"(!"})");
  EXPECT_EQ(std::get<http::ApiError>(long_bad).details.at("fields").as_array()[0].as_object().at("code"),
            "invalid_format");
  auto too_long = ParseAdmin(R"({"username":")" + std::string(51, 'a') + R"("})");
  EXPECT_EQ(std::get<http::ApiError>(too_long).message, "Username must be at most 50 characters long");
  // 50 code points of two bytes each are fine for lastName (max 50).
  std::string umlauts;
  for (int i = 0; i < 50; ++i) umlauts += "\xC3\xBC";
  EXPECT_TRUE(std::holds_alternative<ProfileInput>(ParseAdmin(R"({"username":"a","lastName":")" + umlauts + R"("})")));
}

TEST(ProfileTest, AdminFieldsAndGroupIds) {
  auto r = ParseAdmin(R"({"id":"0b5e5a4e-9c1f-4f6b-8d59-5f1f6c1e2a3b","username":"a","isAdmin":true,
                          "emailVerified":true,"disabled":true,"userGroupIds":["g1","g2"],"locale":"de"})");
  const auto& in = std::get<ProfileInput>(r);
  EXPECT_EQ(in.user.id, "0b5e5a4e-9c1f-4f6b-8d59-5f1f6c1e2a3b");
  EXPECT_TRUE(in.user.is_admin);
  EXPECT_TRUE(in.user.email_verified);
  EXPECT_TRUE(in.user.disabled);
  EXPECT_EQ(in.user.locale, "de");
  EXPECT_EQ(in.user.display_name, "");  // the user API stores no made-up display name
  EXPECT_EQ(in.user_group_ids, (std::vector<std::string>{"g1", "g2"}));
  // Uppercase UUIDs fail Go's `uuid` tag; an empty id means "none".
  EXPECT_TRUE(std::holds_alternative<http::ApiError>(ParseAdmin(R"({"id":"0B5E5A4E-9C1F-4F6B-8D59-5F1F6C1E2A3B","username":"a"})")));
  EXPECT_FALSE(std::get<ProfileInput>(ParseAdmin(R"({"id":"","username":"a"})")).user.id.has_value());
}

TEST(ProfileTest, WrongJsonTypesAreInvalidBodies) {
  for (auto body : {R"({"username":"a","isAdmin":"yes"})", R"({"username":"a","userGroupIds":"g1"})",
                    R"({"username":"a","userGroupIds":[1]})", R"({"username":"a","disabled":1})"}) {
    EXPECT_EQ(std::get<http::ApiError>(ParseAdmin(body)).code, "invalid_request_body") << body;
  }
}

TEST(ProfileTest, RequireEmailComesAfterFieldRules) {
  EXPECT_EQ(std::get<http::ApiError>(ParseAdmin(R"({"username":"-"})", true)).message,
            "Username must only contain letters, numbers, underscores, dots, hyphens, and '@' symbols and not start "
            "or end with a special character");
  EXPECT_EQ(std::get<http::ApiError>(ParseAdmin(R"({"username":"a","email":""})", true)).message, "Email is required");
}

TEST(UserGroupIdsTest, RequiredButMayBeEmpty) {
  EXPECT_EQ(std::get<http::ApiError>(ParseUserGroupIds(boost::json::parse("{}").as_object())).message,
            "UserGroupIds is required");
  EXPECT_EQ(std::get<http::ApiError>(ParseUserGroupIds(boost::json::parse(R"({"userGroupIds":null})").as_object()))
                .details.at("fields").as_array()[0].as_object().at("code"),
            "required");
  EXPECT_TRUE(std::get<std::vector<std::string>>(ParseUserGroupIds(boost::json::parse(R"({"userGroupIds":[]})").as_object())).empty());
}

}  // namespace
}  // namespace pocketid::users
