#include "apis/api_input.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace pocketid::apis {
namespace {

boost::json::object Obj(std::string_view json) { return boost::json::parse(json).as_object(); }

std::string Fields(const http::ApiError& e) {
  return e.details.contains("fields") ? boost::json::serialize(e.details.at("fields")) : "";
}

template <typename T>
http::ApiError ErrorOf(const http::ApiResult<T>& r) {
  const auto* e = std::get_if<http::ApiError>(&r);
  return e ? *e : http::ApiError{0, "none", "none", {}};
}

TEST(ApiCreateInput, TrimsTrailingSlashesAndNormalises) {
  auto in =
      ParseApiCreate(Obj(R"({"name":"Orders API","resource":"https://api.orders.test//"})"), "http://localhost:1411");
  ASSERT_TRUE(std::holds_alternative<ApiCreateInput>(in));
  EXPECT_EQ(std::get<ApiCreateInput>(in).name, "Orders API");
  EXPECT_EQ(std::get<ApiCreateInput>(in).resource, "https://api.orders.test");
}

TEST(ApiCreateInput, ReportsEveryFailedField) {
  const auto e = ErrorOf(ParseApiCreate(Obj(R"({"name":"","resource":"not a uri"})"), "http://localhost:1411"));
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "validation_failed");
  EXPECT_EQ(e.message, "Name is required, resource must be an absolute URI without whitespace or a fragment");
  EXPECT_NE(Fields(e).find(R"("field":"resource","code":"invalid_format")"), std::string::npos) << Fields(e);
}

TEST(ApiCreateInput, RefusesTheIssuerAndActiveContent) {
  const auto issuer =
      ErrorOf(ParseApiCreate(Obj(R"({"name":"x","resource":"HTTP://localhost:1411/"})"), "http://localhost:1411"));
  EXPECT_NE(Fields(issuer).find(R"("field":"resource","code":"reserved")"), std::string::npos) << Fields(issuer);
  const auto js = ErrorOf(ParseApiCreate(Obj(R"j({"name":"x","resource":"javascript:alert(1)"})j"), "http://x"));
  EXPECT_NE(Fields(js).find("invalid_format"), std::string::npos);
  const auto wrong_type = ErrorOf(ParseApiCreate(Obj(R"({"name":1,"resource":"https://a"})"), "http://x"));
  EXPECT_EQ(wrong_type.code, "invalid_request_body");
  std::string long_name(51, 'n');
  const auto too_long =
      ErrorOf(ParseApiCreate(Obj(R"({"name":")" + long_name + R"(","resource":"https://a"})"), "http://x"));
  EXPECT_NE(Fields(too_long).find("too_long"), std::string::npos);
}

TEST(PermissionsInput, KeyRulesInOrder) {
  EXPECT_NE(
      Fields(ErrorOf(ParsePermissions(Obj(R"({"permissions":[{"key":"a","name":"A"},{"key":"bad key","name":"B"}]})"))))
          .find(R"("field":"permissions[1].key","code":"invalid_format")"),
      std::string::npos);
  EXPECT_NE(Fields(ErrorOf(ParsePermissions(Obj(R"({"permissions":[{"key":"OpenID","name":"A"}]})"))))
                .find(R"("field":"permissions[0].key","code":"reserved")"),
            std::string::npos);
  EXPECT_NE(Fields(ErrorOf(ParsePermissions(Obj(R"({"permissions":[{"key":"a","name":"A"},{"key":"a","name":"B"}]})"))))
                .find(R"("field":"permissions[1].key","code":"duplicate")"),
            std::string::npos);
  EXPECT_NE(Fields(ErrorOf(ParsePermissions(Obj(R"({"permissions":[{"key":"a","name":""}]})"))))
                .find(R"("field":"permissions[0].name","code":"required")"),
            std::string::npos);
}

TEST(PermissionsInput, NullListIsEmptyAndDescriptionsAreKept) {
  auto none = ParsePermissions(Obj(R"({"permissions":null})"));
  ASSERT_TRUE(std::holds_alternative<std::vector<PermissionInput>>(none));
  EXPECT_TRUE(std::get<std::vector<PermissionInput>>(none).empty());
  auto one =
      ParsePermissions(Obj(R"({"permissions":[{"key":"read:orders","name":"Read","description":"Lists orders"}]})"));
  ASSERT_TRUE(std::holds_alternative<std::vector<PermissionInput>>(one));
  EXPECT_EQ(std::get<std::vector<PermissionInput>>(one)[0].description.value_or(""), "Lists orders");
}

TEST(ClientGrantInput, ReadsFlagsAndLists) {
  auto g = ParseClientGrant(Obj(R"({"userDelegatedAccess":true,"clientPermissionIds":["p1"]})"));
  ASSERT_TRUE(std::holds_alternative<ClientGrant>(g));
  EXPECT_TRUE(std::get<ClientGrant>(g).user_delegated_access);
  EXPECT_FALSE(std::get<ClientGrant>(g).client_access);
  EXPECT_EQ(std::get<ClientGrant>(g).client_permission_ids, std::vector<std::string>{"p1"});
  EXPECT_EQ(ErrorOf(ParseClientGrant(Obj(R"({"clientAccess":"yes"})"))).code, "invalid_request_body");
  EXPECT_EQ(ErrorOf(ParseClientGrant(Obj(R"({"clientPermissionIds":[""]})"))).code, "validation_failed");
}

}  // namespace
}  // namespace pocketid::apis
