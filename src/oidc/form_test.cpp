#include "oidc/form.h"

#include <gtest/gtest.h>

#include "oidc/oauth_error.h"
#include "oidc/response_modes.h"

namespace pocketid::oidc {
namespace {

TEST(Form, DecodesLikeGoParseQuery) {
  Form f;
  ASSERT_TRUE(f.AddEncoded("scope=openid+profile&state=a%20b&empty=&flag&scope=email"));
  EXPECT_EQ(f.Get("scope"), "openid profile");
  EXPECT_EQ(f.Count("scope"), 2u);
  EXPECT_EQ(f.Get("state"), "a b");
  EXPECT_TRUE(f.Has("empty"));
  EXPECT_TRUE(f.Has("flag"));
  EXPECT_EQ(f.Get("missing"), "");
}

TEST(Form, RejectsBadEscapesAndSemicolons) {
  Form f;
  EXPECT_FALSE(f.AddEncoded("a=%zz&b=1"));
  EXPECT_EQ(f.Get("b"), "1");
  Form g;
  EXPECT_FALSE(g.AddEncoded("a=1;b=2"));
  Form h;
  EXPECT_FALSE(h.AddEncoded("a=%4"));
}

TEST(Form, EncodesSortedAndEscaped) {
  Form f;
  f.Add("state", "x y&z");
  f.Add("code", "abc");
  f.Add("iss", "http://localhost:1411");
  EXPECT_EQ(f.Encode(), "code=abc&iss=http%3A%2F%2Flocalhost%3A1411&state=x+y%26z");
}

TEST(OAuthError, DescriptionJoinsHintAndReplacesQuotes) {
  auto e = errors::InvalidGrant("The \"redirect_uri\" from this request does not match the one from the authorize request.");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.FullDescription(),
            "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token "
            "is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or "
            "was issued to another client. The 'redirect_uri' from this request does not match the one from the "
            "authorize request.");
  auto res = OAuthErrorResponse(errors::InvalidClient());
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(res.headers.Get("Content-Type").value_or(""), "application/json;charset=UTF-8");
  EXPECT_EQ(res.headers.Get("Cache-Control").value_or(""), "no-store");
  EXPECT_EQ(res.headers.Get("Pragma").value_or(""), "no-cache");
}

TEST(ResponseModes, QueryKeepsTheRedirectUrisOwnParameters) {
  http::Request req;
  Form params;
  params.Add("code", "c1");
  params.Add("state", "s");
  auto res = RespondToClient(req, {"https://app.example.com/cb?tenant=a&state=old", "query", "s"}, params);
  EXPECT_EQ(res.status, 303);
  EXPECT_EQ(res.headers.Get("Location").value_or(""), "https://app.example.com/cb?code=c1&state=s&tenant=a");
}

TEST(ResponseModes, FragmentReplacesAnyFragment) {
  http::Request req;
  Form params;
  params.Add("code", "c1");
  auto res = RespondToClient(req, {"https://app.example.com/cb?x=1#old", "fragment", ""}, params);
  EXPECT_EQ(res.headers.Get("Location").value_or(""), "https://app.example.com/cb?x=1#code=c1");
}

TEST(ResponseModes, FormPostEscapesAndAllowsTheTarget) {
  http::Request req;
  req.csp_nonce = "n0nce";
  Form params;
  params.Add("state", "<\"x\">");
  auto res = RespondToClient(req, {"https://app.example.com/cb", "form_post", ""}, params);
  EXPECT_EQ(res.status, 200);
  EXPECT_NE(res.body.find("value=\"&lt;&#34;x&#34;&gt;\""), std::string::npos);
  EXPECT_NE(res.body.find("<form method=\"post\" action=\"https://app.example.com/cb\">"), std::string::npos);
  auto csp = std::string(res.headers.Get("Content-Security-Policy").value_or(""));
  EXPECT_NE(csp.find("form-action 'self' https://app.example.com/cb;"), std::string::npos);
  EXPECT_NE(csp.find("'nonce-n0nce' 'sha256-ePniVEkSivX/c7XWBGafqh8tSpiRrKiqYeqbG7N1TOE='"), std::string::npos);
}

}  // namespace
}  // namespace pocketid::oidc
