#include "groups/group_input.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace pocketid::groups {
namespace {

boost::json::object Body(std::string_view json) { return boost::json::parse(json).as_object(); }

template <typename T>
http::ApiError ErrorOf(const http::ApiResult<T>& r) {
  EXPECT_TRUE(std::holds_alternative<http::ApiError>(r));
  return std::holds_alternative<http::ApiError>(r) ? std::get<http::ApiError>(r) : http::ApiError{};
}

TEST(GroupInputTest, AcceptsValidNames) {
  auto r = ParseGroupInput(Body(R"({"friendlyName":"Dashy admins","name":"admins","extra":1})"));
  ASSERT_TRUE(std::holds_alternative<GroupInput>(r));
  EXPECT_EQ(std::get<GroupInput>(r).friendly_name, "Dashy admins");
  EXPECT_EQ(std::get<GroupInput>(r).name, "admins");
  // Lengths count code points: two two-byte characters are long enough.
  EXPECT_TRUE(std::holds_alternative<GroupInput>(ParseGroupInput(Body(R"({"friendlyName":"éé","name":"ßß"})"))));
}

TEST(GroupInputTest, ReportsEveryFailedField) {
  auto e = ErrorOf(ParseGroupInput(Body("{}")));
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "validation_failed");
  EXPECT_EQ(e.message, "FriendlyName is required, name is required");
  EXPECT_EQ(boost::json::serialize(e.details),
            R"({"fields":[{"field":"friendlyName","code":"required","message":"is required"},)"
            R"({"field":"name","code":"required","message":"is required"}]})");

  e = ErrorOf(ParseGroupInput(Body(R"({"friendlyName":"x","name":"ok"})")));
  EXPECT_EQ(e.message, "FriendlyName must be at least 2 characters long");
  EXPECT_EQ(e.details.at("fields").as_array()[0].as_object().at("code"), "too_short");

  std::string long_friendly(51, 'a');
  std::string long_name(256, 'b');
  e = ErrorOf(ParseGroupInput(Body(R"({"friendlyName":")" + long_friendly + R"(","name":")" + long_name + R"("})")));
  EXPECT_EQ(e.message, "FriendlyName must be at most 50 characters long, name must be at most 255 characters long");
  EXPECT_TRUE(std::holds_alternative<GroupInput>(
      ParseGroupInput(Body(R"({"friendlyName":")" + std::string(50, 'a') + R"(","name":")" + std::string(255, 'b') +
                           R"("})"))));

  EXPECT_EQ(ErrorOf(ParseGroupInput(Body(R"({"friendlyName":12,"name":"ok"})"))).code, "invalid_request_body");
  EXPECT_EQ(ErrorOf(ParseGroupInput(Body(R"({"friendlyName":null,"name":"ok"})"))).message,
            "FriendlyName is required");
}

TEST(GroupInputTest, IdLists) {
  auto r = ParseIdList(Body(R"({"userIds":["a","b"]})"), "userIds");
  ASSERT_TRUE(std::holds_alternative<std::vector<std::string>>(r));
  EXPECT_EQ(std::get<std::vector<std::string>>(r), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(std::get<std::vector<std::string>>(ParseIdList(Body(R"({"userIds":[]})"), "userIds")).empty());
  EXPECT_EQ(std::get<std::vector<std::string>>(ParseIdList(Body(R"({"userIds":[null,"c"]})"), "userIds")),
            (std::vector<std::string>{"c"}));

  auto e = ErrorOf(ParseIdList(Body("{}"), "userIds"));
  EXPECT_EQ(e.code, "validation_failed");
  EXPECT_EQ(e.message, "UserIds is required");
  EXPECT_EQ(e.details.at("fields").as_array()[0].as_object().at("field"), "userIds");
  EXPECT_EQ(ErrorOf(ParseIdList(Body(R"({"oidcClientIds":null})"), "oidcClientIds")).message,
            "OidcClientIds is required");
  EXPECT_EQ(ErrorOf(ParseIdList(Body(R"({"userIds":"a"})"), "userIds")).code, "invalid_request_body");
  EXPECT_EQ(ErrorOf(ParseIdList(Body(R"({"userIds":[1]})"), "userIds")).code, "invalid_request_body");
}

}  // namespace
}  // namespace pocketid::groups
