#include "core/http/router.h"

#include <gtest/gtest.h>

namespace pocketid::http {
namespace {

Handler Returns(int status) {
  return [status](Request&) { return Response::Text(status, ""); };
}

TEST(RouterTest, StaticAndParameterRoutes) {
  Router r;
  r.Add(Method::kGet, "/healthz", Returns(204));
  r.Add(Method::kGet, "/api/users/:id", Returns(200));
  r.Add(Method::kPut, "/api/users/:id", Returns(201));
  r.Add(Method::kGet, "/api/users/:id/groups/:gid", Returns(202));
  r.Add(Method::kGet, "/static/*rest", Returns(203));

  Request req;
  auto m = r.Find(Method::kGet, "/healthz", req);
  ASSERT_EQ(m.kind, Router::MatchKind::kFound);
  EXPECT_EQ((*m.handler)(req).status, 204);

  m = r.Find(Method::kPut, "/api/users/abc", req);
  ASSERT_EQ(m.kind, Router::MatchKind::kFound);
  EXPECT_EQ((*m.handler)(req).status, 201);
  EXPECT_EQ(req.PathParam("id"), "abc");

  m = r.Find(Method::kGet, "/api/users/u1/groups/g2", req);
  ASSERT_EQ(m.kind, Router::MatchKind::kFound);
  EXPECT_EQ(req.PathParam("id"), "u1");
  EXPECT_EQ(req.PathParam("gid"), "g2");

  m = r.Find(Method::kGet, "/static/a/b.css", req);
  ASSERT_EQ(m.kind, Router::MatchKind::kFound);
  EXPECT_EQ(req.PathParam("rest"), "a/b.css");
}

TEST(RouterTest, NotFoundWrongMethodAndTrailingSlash) {
  Router r;
  r.Add(Method::kGet, "/healthz", Returns(204));
  r.Add(Method::kGet, "/api/users/:id", Returns(200));
  Request req;
  EXPECT_EQ(r.Find(Method::kGet, "/nope", req).kind, Router::MatchKind::kNotFound);
  EXPECT_EQ(r.Find(Method::kGet, "/api/users", req).kind, Router::MatchKind::kNotFound);
  EXPECT_EQ(r.Find(Method::kGet, "/api/users/", req).kind, Router::MatchKind::kNotFound);
  EXPECT_EQ(r.Find(Method::kGet, "/api/users/a/b", req).kind, Router::MatchKind::kNotFound);
  EXPECT_EQ(r.Find(Method::kPost, "/healthz", req).kind, Router::MatchKind::kWrongMethod);
  EXPECT_EQ(r.Find(Method::kDelete, "/api/users/x", req).kind, Router::MatchKind::kWrongMethod);
  auto m = r.Find(Method::kGet, "/healthz/", req);
  EXPECT_EQ(m.kind, Router::MatchKind::kTrailingSlashRedirect);
  EXPECT_EQ(m.redirect_path, "/healthz");
}

TEST(RequestTest, QueryAndCookies) {
  Request req;
  req.query = "a=1&b=x+y%2Fz&a=2";
  req.headers.Add("Cookie", "session=abc; __Host-access_token=\"tok\" ;x=");
  EXPECT_EQ(req.QueryParam("a"), "1");
  EXPECT_EQ(req.QueryParam("b"), "x y/z");
  EXPECT_FALSE(req.QueryParam("c").has_value());
  EXPECT_EQ(req.Cookie("session"), "abc");
  EXPECT_EQ(req.Cookie("__Host-access_token"), "tok");
  EXPECT_EQ(req.Cookie("x"), "");
  EXPECT_FALSE(req.Cookie("missing").has_value());
}

}  // namespace
}  // namespace pocketid::http
