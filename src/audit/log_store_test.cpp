#include "audit/log_store.h"

#include <gtest/gtest.h>

#include "core/db/db_test_util.h"
#include "core/db/migrate.h"

namespace pocketid::audit {
namespace {

using db::testing::StatusText;

constexpr const char* kAlice = "a0000000-0000-4000-8000-000000000001";
constexpr const char* kBob = "b0000000-0000-4000-8000-000000000002";
constexpr const char* kCarol = "c0000000-0000-4000-8000-000000000003";  // has no logs

class LogStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    PID_ASSERT_OK(db::Migrate(db(), false));
    for (auto [id, name] : {std::pair{kAlice, "alice"}, {kBob, "bob"}, {kCarol, "carol"}}) {
      PID_ASSERT_OK(db().Exec("INSERT INTO users (id, created_at, username, first_name, last_name, display_name, "
                              "is_admin, disabled, email_verified) VALUES ($1, $2, $3, 'F', 'L', 'F L', $4, $4, $4)",
                              {id, db::Now(), name, false}));
    }
    Add("10000000-0000-4000-8000-000000000001", 100, "SIGN_IN", kAlice, "81.2.69.142", "United Kingdom", "London", "{}");
    Add("10000000-0000-4000-8000-000000000002", 200, "TOKEN_SIGN_IN", kAlice, "10.0.0.1", "Internal Network", "LAN",
        "{}");
    Add("10000000-0000-4000-8000-000000000003", 300, "NEW_CLIENT_AUTHORIZATION", kBob, "89.160.20.112", "Sweden",
        "Linköping", R"({"clientName":"Nextcloud"})");
    Add("10000000-0000-4000-8000-000000000004", 400, "CLIENT_AUTHORIZATION", kBob, std::nullopt, "", "",
        R"({"clientName":"Grafana"})");
    Add("10000000-0000-4000-8000-000000000005", 500, "PASSKEY_REMOVED", kAlice, "192.168.1.5", "Internal Network",
        "LAN", R"({"passkeyName":"Key","actorUsername":"bob","actorUserID":"b0"})");
  }

  void Add(const char* id, int64_t at, const char* event, const char* user, std::optional<std::string> ip,
           const char* country, const char* city, std::string data) {
    PID_ASSERT_OK(db().Exec("INSERT INTO audit_logs (id, created_at, event, ip_address, user_agent, data, user_id, "
                            "country, city) VALUES ($1, $2, $3, $4, 'curl/8', $5, $6, $7, $8)",
                            {id, db::Timestamp{at}, event, ip, db::Json{std::move(data)}, user, country, city}));
  }

  static http::ListRequest Query(std::string q) {
    http::Request req;
    req.query = std::move(q);
    return http::ParseListRequest(req);
  }

  static std::vector<std::string> Events(const LogPage& page) {
    std::vector<std::string> out;
    for (const auto& e : page.items) out.push_back(e.event);
    return out;
  }

  std::vector<std::string> AllEvents(std::string q) {
    auto page = LogStore(db()).ListAll(Query(std::move(q)));
    EXPECT_TRUE(page.ok()) << StatusText(page);
    return page.ok() ? Events(*page) : std::vector<std::string>{"<error>"};
  }
};

TEST_P(LogStoreTest, OwnLogsOnlyWithEventFilterAndSort) {
  LogStore store(db());
  auto page = store.ListForUser(kAlice, Query("sort[column]=createdAt&sort[direction]=desc"));
  ASSERT_TRUE(page.ok()) << StatusText(page);
  EXPECT_EQ(Events(*page), (std::vector<std::string>{"PASSKEY_REMOVED", "TOKEN_SIGN_IN", "SIGN_IN"}));
  EXPECT_EQ(page->page.total_items, 3);
  const auto& removed = page->items[0];
  EXPECT_EQ(removed.ip_address, "192.168.1.5");
  EXPECT_EQ(removed.username, "");  // only /all names users
  EXPECT_EQ(removed.user_id, kAlice);
  EXPECT_EQ(removed.created_at, db::Timestamp{500});
  EXPECT_EQ(removed.data.size(), 3u);

  auto filtered = store.ListForUser(kAlice, Query("filters[event]=SIGN_IN&filters[event]=TOKEN_SIGN_IN&sort[column]=event"));
  ASSERT_TRUE(filtered.ok()) << StatusText(filtered);
  EXPECT_EQ(Events(*filtered), (std::vector<std::string>{"SIGN_IN", "TOKEN_SIGN_IN"}));
  // clientName/location are /all filters: ignored here.
  auto ignored = store.ListForUser(kAlice, Query("filters[clientName]=Nextcloud&filters[location]=internal"));
  ASSERT_TRUE(ignored.ok());
  EXPECT_EQ(ignored->page.total_items, 3);
  auto none = store.ListForUser(kCarol, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->items.empty());
  EXPECT_EQ(none->page.total_pages, 1);
}

TEST_P(LogStoreTest, AllLogsWithUsernamesAndPagination) {
  LogStore store(db());
  auto page = store.ListAll(Query("sort[column]=createdAt&sort[direction]=asc&pagination[page]=2&pagination[limit]=2"));
  ASSERT_TRUE(page.ok()) << StatusText(page);
  EXPECT_EQ(Events(*page), (std::vector<std::string>{"NEW_CLIENT_AUTHORIZATION", "CLIENT_AUTHORIZATION"}));
  EXPECT_EQ(page->items[0].username, "bob");
  EXPECT_EQ(page->items[1].ip_address, "");  // NULL
  EXPECT_EQ(page->page.total_items, 5);
  EXPECT_EQ(page->page.total_pages, 3);
  EXPECT_EQ(page->page.current_page, 2);
}

TEST_P(LogStoreTest, AllLogsFilters) {
  const std::string by_time = "&sort[column]=createdAt";
  EXPECT_EQ(AllEvents(std::string("filters[userId]=") + kBob + by_time),
            (std::vector<std::string>{"NEW_CLIENT_AUTHORIZATION", "CLIENT_AUTHORIZATION"}));
  EXPECT_EQ(AllEvents("filters[userId]=not-a-uuid"), std::vector<std::string>{});
  EXPECT_EQ(AllEvents("filters[userId]=42"), std::vector<std::string>{});
  EXPECT_EQ(AllEvents("filters[event]=SIGN_IN"), std::vector<std::string>{"SIGN_IN"});
  EXPECT_EQ(AllEvents("filters[clientName]=Nextcloud"), std::vector<std::string>{"NEW_CLIENT_AUTHORIZATION"});
  EXPECT_EQ(AllEvents("filters[clientName][0]=Nextcloud&filters[clientName][1]=Grafana" + by_time),
            (std::vector<std::string>{"NEW_CLIENT_AUTHORIZATION", "CLIENT_AUTHORIZATION"}));
  EXPECT_EQ(AllEvents("filters[location]=internal" + by_time),
            (std::vector<std::string>{"TOKEN_SIGN_IN", "PASSKEY_REMOVED"}));
  EXPECT_EQ(AllEvents("filters[location]=external" + by_time),
            (std::vector<std::string>{"SIGN_IN", "NEW_CLIENT_AUTHORIZATION", "CLIENT_AUTHORIZATION"}));
  EXPECT_EQ(AllEvents("filters[location]=elsewhere").size(), 5u);  // unknown values filter nothing
  EXPECT_EQ(AllEvents(std::string("filters[userId]=") + kAlice + "&filters[location]=internal&filters[event]=TOKEN_SIGN_IN"),
            std::vector<std::string>{"TOKEN_SIGN_IN"});
  EXPECT_EQ(AllEvents("sort[column]=country&sort[direction]=desc").front(), "SIGN_IN");  // United Kingdom
  EXPECT_EQ(AllEvents("sort[column]=city").back(), "SIGN_IN");  // "" < LAN < Linköping < London
}

TEST_P(LogStoreTest, FilterLists) {
  LogStore store(db());
  auto names = store.ClientNames();
  ASSERT_TRUE(names.ok()) << StatusText(names);
  EXPECT_EQ(*names, (std::vector<std::string>{"Grafana", "Nextcloud"}));
  auto users = store.UsersWithLogs();
  ASSERT_TRUE(users.ok()) << StatusText(users);
  EXPECT_EQ(*users, (std::vector<std::pair<std::string, std::string>>{{kAlice, "alice"}, {kBob, "bob"}}));
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(LogStoreTest);

}  // namespace
}  // namespace pocketid::audit
