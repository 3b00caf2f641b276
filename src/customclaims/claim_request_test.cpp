#include "customclaims/claim_request.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>


namespace pocketid::customclaims {
namespace {

http::Request JsonRequest(std::string body, std::string type = "application/json") {
  http::Request req;
  req.headers.Add("Content-Type", std::move(type));
  req.body = std::move(body);
  return req;
}

http::ApiError ErrorOf(const http::ApiResult<std::vector<Claim>>& r) {
  EXPECT_TRUE(std::holds_alternative<http::ApiError>(r));
  return std::holds_alternative<http::ApiError>(r) ? std::get<http::ApiError>(r) : http::ApiError{};
}

TEST(ClaimRequestTest, ParsesAndNormalises) {
  auto r = ParseClaimListBody(JsonRequest(R"([{"key":"team","value":"Cafe\u0301"},{"key":"a","value":"1","x":2}])",
                                          "application/json; charset=utf-8"));
  ASSERT_TRUE(std::holds_alternative<std::vector<Claim>>(r));
  const auto& claims = std::get<std::vector<Claim>>(r);
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].key, "team");
  EXPECT_EQ(claims[0].value, "Caf\xC3\xA9");  // NFC
  EXPECT_EQ(claims[1].value, "1");

  auto empty = ParseClaimListBody(JsonRequest("null"));
  ASSERT_TRUE(std::holds_alternative<std::vector<Claim>>(empty));
  EXPECT_TRUE(std::get<std::vector<Claim>>(empty).empty());
}

TEST(ClaimRequestTest, BadBodiesAreInvalid) {
  for (const char* body : {"{}", "[1]", R"([{"key":1,"value":"x"}])", R"([{"key":"k","value":true}])", "[", ""}) {
    EXPECT_EQ(ErrorOf(ParseClaimListBody(JsonRequest(body))).code, "invalid_request_body") << body;
  }
  EXPECT_EQ(ErrorOf(ParseClaimListBody(JsonRequest("[]", "text/plain"))).code, "invalid_request_body");
  EXPECT_TRUE(std::holds_alternative<std::vector<Claim>>(ParseClaimListBody(JsonRequest("[]", "application/x+json"))));
}

TEST(ClaimRequestTest, MissingKeyOrValueIsRequired) {
  auto e = ErrorOf(ParseClaimListBody(JsonRequest(R"([{"key":"ok","value":"1"},{"key":"","value":null},{}])")));
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "validation_failed");
  EXPECT_EQ(e.message, "Key is required, value is required");
  EXPECT_EQ(boost::json::serialize(e.details),
            R"({"fields":[{"field":"key","code":"required","message":"is required"},)"
            R"({"field":"value","code":"required","message":"is required"}]})");
  e = ErrorOf(ParseClaimListBody(JsonRequest(R"([{"key":"k"}])")));
  EXPECT_EQ(e.message, "Value is required");
  e = ErrorOf(ParseClaimListBody(JsonRequest("[null]")));
  EXPECT_EQ(e.message, "Key is required, value is required");
}

TEST(ClaimRequestTest, InvalidClaimErrors) {
  auto e = InvalidClaimError({InvalidClaim::Reason::kReserved, "email"});
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "reserved_claim");
  EXPECT_EQ(e.message, "Claim email is reserved and can't be used");
  EXPECT_EQ(boost::json::serialize(e.details),
            R"({"fields":[{"field":"key","code":"reserved","message":"is reserved"}],"key":"email"})");
  e = InvalidClaimError({InvalidClaim::Reason::kDuplicate, "team"});
  EXPECT_EQ(e.code, "duplicate_claim");
  EXPECT_EQ(e.message, "Claim team is already defined");
  EXPECT_EQ(boost::json::serialize(e.details),
            R"({"fields":[{"field":"key","code":"duplicate","message":"is listed more than once"}],"key":"team"})");
}

}  // namespace
}  // namespace pocketid::customclaims
