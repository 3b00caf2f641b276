#include "core/http/pagination.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace pocketid::http {
namespace {

ListRequest Parse(std::string query) {
  Request req;
  req.query = std::move(query);
  return ParseListRequest(req);
}

constexpr ListField kFields[] = {
    {"name", "c.name", true, false},
    {"createdAt", "c.created_at", true, false},
    {"pkceEnabled", "c.pkce_enabled", true, true},
    {"clientType", "c.client_type", true, true},
    {"secret", "c.secret", false, false},
};

TEST(PaginationTest, ParsesPocketIdParameters) {
  auto l = Parse("pagination%5Bpage%5D=3&pagination[limit]=50&sort[column]=name&sort[direction]=DESC"
                 "&filters[pkceEnabled]=true&filters[clientType][0]=standard&filters[clientType][1]=cimd&search=x");
  EXPECT_EQ(l.page, 3);
  EXPECT_EQ(l.limit, 50);
  EXPECT_EQ(l.sort_column, "name");
  EXPECT_TRUE(l.HasValidSortDirection());
  EXPECT_EQ(l.NormalizedSortDirection(), "desc");
  ASSERT_EQ(l.filters.size(), 2u);
  EXPECT_EQ(l.filters["pkceEnabled"], std::vector<FilterValue>{true});
  EXPECT_EQ(l.filters["clientType"], (std::vector<FilterValue>{std::string("standard"), std::string("cimd")}));
  EXPECT_EQ(l.BoolFilter("pkceEnabled"), true);
  EXPECT_EQ(l.BoolFilter("clientType"), std::nullopt);
  EXPECT_EQ(l.BoolFilter("missing"), std::nullopt);
}

TEST(PaginationTest, ReadsQueriesLikeGo) {
  Request req;
  req.query = "pagination[page]=2&search=a+b%21&bad=%zz&search=second&x;y=1";
  EXPECT_EQ(req.QueryParam("search"), "a b!");
  EXPECT_EQ(req.QueryParam("bad"), std::nullopt);
  EXPECT_EQ(req.QueryParam("x"), std::nullopt);
  EXPECT_EQ(req.QueryParam("missing"), std::nullopt);
  EXPECT_EQ(ParseListRequest(req).page, 2);
}

TEST(PaginationTest, BadNumbersResetEverythingLikeGin) {
  auto l = Parse("pagination[page]=abc&sort[column]=name&filters[pkceEnabled]=true");
  EXPECT_EQ(l.page, 0);
  EXPECT_TRUE(l.sort_column.empty());
  EXPECT_TRUE(l.filters.empty());
  EXPECT_EQ(Parse("pagination[page]=&pagination[limit]=%2B7").limit, 7);
  EXPECT_EQ(Parse("pagination[limit]=+7&sort[column]=name").sort_column, "");  // '+' is a space: " 7" is no number
  EXPECT_EQ(Parse("pagination[page]=-2").page, -2);
}

TEST(PaginationTest, ConvertsFilterValues) {
  EXPECT_EQ(ConvertFilterValue(" true "), FilterValue(true));
  EXPECT_EQ(ConvertFilterValue("false"), FilterValue(false));
  EXPECT_EQ(ConvertFilterValue("True"), FilterValue(std::string("True")));
  EXPECT_EQ(ConvertFilterValue("42"), FilterValue(int64_t{42}));
  EXPECT_EQ(ConvertFilterValue("-1.5"), FilterValue(-1.5));
  EXPECT_EQ(ConvertFilterValue("inf"), FilterValue(std::string("inf")));
  EXPECT_EQ(ConvertFilterValue("1e3"), FilterValue(1000.0));
  EXPECT_EQ(ConvertFilterValue("abc"), FilterValue(std::string("abc")));
  EXPECT_EQ(ConvertFilterValue(""), FilterValue(std::string()));
}

TEST(PaginationTest, DirectionDefaultsToAscending) {
  ListRequest l;
  l.sort_direction = "sideways";
  EXPECT_FALSE(l.HasValidSortDirection());
  EXPECT_EQ(l.NormalizedSortDirection(), "asc");
  l.sort_direction = " Desc ";
  EXPECT_TRUE(l.HasValidSortDirection());
}

TEST(PaginationTest, BuildsClausesForHonouredFieldsOnly) {
  auto l = Parse("sort[column]=PkceEnabled&sort[direction]=desc&filters[pkceEnabled]=true&filters[clientType]=cimd"
                 "&filters[name]=x&filters[unknown]=1");
  auto c = BuildListClauses(l, kFields, 2, "c.id");
  // std::map orders the filters by name.
  EXPECT_EQ(c.where, " AND c.client_type IN ($2) AND c.pkce_enabled IN ($3)");
  EXPECT_EQ(c.params, (std::vector<FilterValue>{std::string("cimd"), true}));
  EXPECT_EQ(c.order_by, " ORDER BY c.pkce_enabled DESC, c.id");

  EXPECT_EQ(BuildListClauses(Parse("sort[column]=secret"), kFields, 1).order_by, "");
  EXPECT_EQ(BuildListClauses(Parse("sort[column]=createdAt"), kFields, 1).order_by, " ORDER BY c.created_at ASC");
  EXPECT_EQ(BuildListClauses(Parse("sort[column]=created_at"), kFields, 1).order_by, "");
  auto multi = BuildListClauses(Parse("filters[clientType][0]=a&filters[clientType][1]=b"), kFields, 1);
  EXPECT_EQ(multi.where, " AND c.client_type IN ($1, $2)");
}

TEST(PaginationTest, ClampsPages) {
  ListRequest l;
  auto p = ComputePage(l, 0);
  EXPECT_EQ(p.total_pages, 1);
  EXPECT_EQ(p.current_page, 1);
  EXPECT_EQ(p.items_per_page, 20);
  EXPECT_EQ(p.offset(), 0);

  l.page = 9;
  l.limit = 1000;
  p = ComputePage(l, 250);
  EXPECT_EQ(p.items_per_page, 100);
  EXPECT_EQ(p.total_pages, 3);
  EXPECT_EQ(p.current_page, 3);
  EXPECT_EQ(p.offset(), 200);
  EXPECT_EQ(p.LimitClause(), " LIMIT 100 OFFSET 200");

  l.page = -1;
  l.limit = 0;
  p = ComputePage(l, 41);
  EXPECT_EQ(p.current_page, 1);
  EXPECT_EQ(p.items_per_page, 20);
  EXPECT_EQ(p.total_pages, 3);
}

TEST(PaginationTest, Envelope) {
  ListRequest l;
  l.limit = 2;
  l.page = 2;
  boost::json::array data{1, 2};
  EXPECT_EQ(boost::json::serialize(PaginatedJson(data, ComputePage(l, 3))),
            R"({"data":[1,2],"pagination":{"totalPages":2,"totalItems":3,"currentPage":2,"itemsPerPage":2}})");
}

}  // namespace
}  // namespace pocketid::http
