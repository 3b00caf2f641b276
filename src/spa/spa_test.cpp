#include "spa/spa.h"

#include <gtest/gtest.h>

namespace pocketid::spa {
namespace {

const EmbeddedAsset kAssets[] = {
    {"/index.html", "<html><head><script type=\"module\">start()</script></head><body><script>x</script></body></html>"},
    {"/_app/immutable/entry/app.abc123.js", "console.log(1)"},
    {"/_app/immutable/entry/app.abc123.js.br", "BROTLI"},
    {"/_app/immutable/entry/app.abc123.js.gz", "GZIP"},
    {"/favicon.png", "PNG"},
    {"/favicon.png.gz", "never served: png is not in the precompressed list"},
};

http::Request Get(std::string path) {
  http::Request r;
  r.path = std::move(path);
  r.csp_nonce = "N0NCE";
  return r;
}

TEST(StaticSiteTest, IndexForClientRoutesWithNonces) {
  StaticSite site(kAssets);
  ASSERT_TRUE(site.has_index());
  for (auto path : {"/", "/login", "/settings/account", "/index.html"}) {
    auto res = site.Serve(Get(path));
    EXPECT_EQ(res.status, 200) << path;
    EXPECT_EQ(res.headers.Get("Cache-Control"), "no-store");
    EXPECT_EQ(res.headers.Get("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(res.body,
              "<html><head><script nonce=\"N0NCE\" type=\"module\">start()</script></head><body><script "
              "nonce=\"N0NCE\">x</script></body></html>");
  }
}

TEST(StaticSiteTest, HashedAssetsAreImmutableAndPrecompressed) {
  StaticSite site(kAssets);
  auto plain = site.Serve(Get("/_app/immutable/entry/app.abc123.js"));
  EXPECT_EQ(plain.body, "console.log(1)");
  EXPECT_EQ(plain.headers.Get("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(plain.headers.Get("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(plain.headers.Get("Vary"), "Accept-Encoding");

  auto req = Get("/_app/immutable/entry/app.abc123.js");
  req.headers.Add("Accept-Encoding", "gzip, deflate, br");
  auto br = site.Serve(req);
  EXPECT_EQ(br.body, "BROTLI");
  EXPECT_EQ(br.headers.Get("Content-Encoding"), "br");
  auto gz_req = Get("/_app/immutable/entry/app.abc123.js");
  gz_req.headers.Add("Accept-Encoding", "gzip");
  EXPECT_EQ(site.Serve(gz_req).body, "GZIP");
}

TEST(StaticSiteTest, OtherFilesRevalidateWithLastModified) {
  StaticSite site(kAssets, std::chrono::system_clock::from_time_t(0));
  auto res = site.Serve(Get("/favicon.png"));
  EXPECT_EQ(res.body, "PNG");
  EXPECT_EQ(res.headers.Get("Cache-Control"), "public, max-age=86400");
  EXPECT_EQ(res.headers.Get("Last-Modified"), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_FALSE(res.headers.Has("Content-Encoding"));
  auto cond = Get("/favicon.png");
  cond.headers.Add("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT");
  cond.headers.Add("Accept-Encoding", "gzip");
  auto not_modified = site.Serve(cond);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_EQ(not_modified.body, "");
}

TEST(StaticSiteTest, WithoutUiBuild) {
  StaticSite site({});
  EXPECT_FALSE(site.has_index());
  EXPECT_EQ(site.Serve(Get("/login")).status, 404);
}

}  // namespace
}  // namespace pocketid::spa
