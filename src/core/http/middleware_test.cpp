#include "core/http/middleware.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace pocketid::http {
namespace {

PipelineOptions TrustLoopback() {
  PipelineOptions o;
  o.is_trusted_proxy = [](std::string_view ip) { return ip == "127.0.0.1" || ip == "10.0.0.2"; };
  o.log_requests = false;
  return o;
}

TEST(ClientIpTest, UntrustedPeerIgnoresForwardedHeaders) {
  Request req;
  req.peer_address = "203.0.113.9";
  req.headers.Add("X-Forwarded-For", "1.2.3.4");
  EXPECT_EQ(ResolveClientIp(req, TrustLoopback()), "203.0.113.9");
  PipelineOptions none;
  EXPECT_EQ(ResolveClientIp(req, none), "203.0.113.9");
}

TEST(ClientIpTest, TrustedPeerUsesRightmostUntrustedHop) {
  Request req;
  req.peer_address = "127.0.0.1";
  req.headers.Add("X-Forwarded-For", "8.8.8.8, 81.2.69.160, 10.0.0.2");
  EXPECT_EQ(ResolveClientIp(req, TrustLoopback()), "81.2.69.160");
  Request real;
  real.peer_address = "127.0.0.1";
  real.headers.Add("X-Real-IP", "2001:db8::1");
  EXPECT_EQ(ResolveClientIp(real, TrustLoopback()), "2001:db8::1");
  Request bad;
  bad.peer_address = "127.0.0.1";
  bad.headers.Add("X-Forwarded-For", "not-an-ip");
  EXPECT_EQ(ResolveClientIp(bad, TrustLoopback()), "127.0.0.1");
}

TEST(ClientIpTest, TrustedPlatformHeader) {
  PipelineOptions o;
  o.trusted_platform_header = "CF-Connecting-IP";
  Request req;
  req.peer_address = "127.0.0.1";
  req.headers.Add("CF-Connecting-IP", "81.2.69.142");
  EXPECT_EQ(ResolveClientIp(req, o), "81.2.69.142");
}

TEST(CspTest, ExactPocketIdString) {
  EXPECT_EQ(ContentSecurityPolicy("abc"),
            "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; "
            "img-src * blob:;font-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'nonce-abc'");
}

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(Method::kGet, "/healthz", [](Request&) { return Response::NoContent(); });
    router_.Add(Method::kGet, "/.well-known/jwks.json", [](Request&) { return Response::RawJson(200, "{}"); });
    router_.Add(Method::kGet, "/cached", [](Request&) {
      Response r = Response::Text(200, "x");
      r.headers.Add("Cache-Control", "public, max-age=60");
      return r;
    });
    PipelineOptions o = TrustLoopback();
    handler_ = BuildPipeline(router_, std::move(o));
  }
  Response Call(Method m, std::string path) {
    Request req;
    req.method = m;
    req.method_name = std::string(MethodName(m));
    req.path = std::move(path);
    req.peer_address = "127.0.0.1";
    return handler_(req);
  }
  Router router_;
  Handler handler_;
};

TEST_F(PipelineTest, EveryResponseHasRequestIdCspAndCacheControl) {
  Response r = Call(Method::kGet, "/healthz");
  EXPECT_EQ(r.status, 204);
  ASSERT_TRUE(r.headers.Get("X-Request-ID"));
  EXPECT_EQ(r.headers.Get("X-Request-ID")->size(), 36u);
  EXPECT_EQ(r.headers.Get("Cache-Control"), "private, no-store");
  EXPECT_TRUE(r.headers.Get("Content-Security-Policy")->find("'nonce-") != std::string_view::npos);
  EXPECT_FALSE(r.headers.Has("Access-Control-Allow-Origin"));
  EXPECT_EQ(Call(Method::kGet, "/cached").headers.Get("Cache-Control"), "public, max-age=60");
}

TEST_F(PipelineTest, CorsOnProtocolPathsOnly) {
  Response r = Call(Method::kGet, "/.well-known/jwks.json");
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Headers"), "Authorization");
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Methods"), "GET, POST");
  Response pre = Call(Method::kOptions, "/api/oidc/token");
  EXPECT_EQ(pre.status, 204);
  EXPECT_EQ(pre.headers.Get("Access-Control-Allow-Origin"), "*");
  Response other = Call(Method::kOptions, "/api/users");
  EXPECT_EQ(other.status, 404);
  EXPECT_FALSE(other.headers.Has("Access-Control-Allow-Origin"));
}

TEST_F(PipelineTest, PocketIdNotFoundRules) {
  Response api = Call(Method::kGet, "/api/nope");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.body, R"({"error":"API endpoint not found"})");
  EXPECT_EQ(Call(Method::kPost, "/.well-known/jwks.json").body, R"({"error":"API endpoint not found"})");
  Response slash = Call(Method::kGet, "/healthz/");
  EXPECT_EQ(slash.status, 301);
  EXPECT_EQ(slash.headers.Get("Location"), "/healthz");
  // Only GET is registered, so POST falls through to the generic rule: unknown paths ending in "/" redirect.
  EXPECT_EQ(Call(Method::kPost, "/healthz/").status, 301);
  Response page = Call(Method::kGet, "/some/page//");
  EXPECT_EQ(page.status, 301);
  EXPECT_EQ(page.headers.Get("Location"), "/some/page");
}

TEST(AppErrorTest, Shape) {
  Request req;
  req.request_id = "rid";
  Response r = AppErrorResponse(req, 401, "not_signed_in", "You are not signed in");
  EXPECT_EQ(r.status, 401);
  auto v = boost::json::parse(r.body).as_object();
  EXPECT_EQ(v["error"], "You are not signed in");
  EXPECT_EQ(v["code"], "not_signed_in");
  EXPECT_EQ(v["request_id"], "rid");
  EXPECT_FALSE(v.contains("details"));
}

}  // namespace
}  // namespace pocketid::http
