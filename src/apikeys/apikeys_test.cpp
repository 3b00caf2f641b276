#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "apikeys/input.h"
#include "apikeys/store.h"
#include "core/crypto/random.h"
#include "core/db/db_test_util.h"
#include "core/db/migrate.h"

namespace pocketid::apikeys {
namespace {

using db::testing::StatusText;

constexpr db::Timestamp kNow{1'800'000'000};  // 2027-01-15T08:00:00Z

boost::json::object Body(std::string_view json) { return boost::json::parse(json).as_object(); }

http::ApiError CreateError(std::string_view json) {
  auto r = ParseCreateInput(Body(json), kNow);
  EXPECT_TRUE(std::holds_alternative<http::ApiError>(r)) << json;
  return std::holds_alternative<http::ApiError>(r) ? std::get<http::ApiError>(r) : http::ApiError{};
}

TEST(ApiKeyInputTest, ParsesRfc3339WithFractionsAndOffsets) {
  EXPECT_EQ(ParseRfc3339("2027-01-15T08:00:00Z")->unix_seconds, kNow.unix_seconds);
  EXPECT_EQ(ParseRfc3339("2027-01-15T08:00:00.123456789Z")->unix_seconds, kNow.unix_seconds);
  EXPECT_EQ(ParseRfc3339("2027-01-15T10:00:00+02:00")->unix_seconds, kNow.unix_seconds);
  EXPECT_EQ(ParseRfc3339("2027-01-15T07:30:00.5-00:30")->unix_seconds, kNow.unix_seconds);
  for (std::string_view bad : {"2027-01-15", "2027-01-15 08:00:00Z", "2027-01-15T08:00:00", "2027-01-15t08:00:00Z",
                               "2027-01-15T08:00:00+0200", "2027-02-29T08:00:00Z", "2027-01-15T24:00:00Z",
                               "2027-01-15T08:00:00.Z", "1800000000", "tomorrow", "2027-01-15T08:00:00Zjunk"}) {
    EXPECT_FALSE(ParseRfc3339(bad)) << bad;
  }
  EXPECT_TRUE(ParseRfc3339("2028-02-29T08:00:00Z"));
}

TEST(ApiKeyInputTest, CreateInput) {
  auto ok = ParseCreateInput(Body(R"({"name":"CI key","description":"for CI","expiresAt":"2027-02-01T00:00:00Z"})"),
                             kNow);
  ASSERT_TRUE(std::holds_alternative<CreateInput>(ok));
  EXPECT_EQ(std::get<CreateInput>(ok).name, "CI key");
  EXPECT_EQ(std::get<CreateInput>(ok).description, "for CI");
  auto no_description = ParseCreateInput(Body(R"({"name":"abc","expiresAt":"2027-02-01T00:00:00Z"})"), kNow);
  EXPECT_FALSE(std::get<CreateInput>(no_description).description);

  auto both = CreateError(R"({"name":""})");
  EXPECT_EQ(both.status, 400);
  EXPECT_EQ(both.code, "validation_failed");
  EXPECT_EQ(both.message, "Name is required, expiresAt is required");
  EXPECT_EQ(boost::json::serialize(both.details),
            R"({"fields":[{"field":"name","code":"required","message":"is required"},)"
            R"({"field":"expiresAt","code":"required","message":"is required"}]})");
  auto short_name = CreateError(R"({"name":"ab","expiresAt":"2027-02-01T00:00:00Z"})");
  EXPECT_EQ(short_name.message, "Name must be at least 3 characters long");
  EXPECT_EQ(short_name.details.at("fields").as_array()[0].at("code"), "too_short");
  // Lengths count code points: three two-byte letters are enough.
  EXPECT_TRUE(std::holds_alternative<CreateInput>(
      ParseCreateInput(Body(R"({"name":"äöü","expiresAt":"2027-02-01T00:00:00Z"})"), kNow)));
  auto long_name = CreateError(R"({"name":")" + std::string(51, 'x') + R"(","expiresAt":"2027-02-01T00:00:00Z"})");
  EXPECT_EQ(long_name.details.at("fields").as_array()[0].at("code"), "too_long");

  EXPECT_EQ(CreateError(R"({"name":"abc","expiresAt":"2027-01-15"})").code, "invalid_request_body");
  EXPECT_EQ(CreateError(R"({"name":"abc","expiresAt":1800000000})").code, "invalid_request_body");
  EXPECT_EQ(CreateError(R"({"name":5,"expiresAt":"2027-02-01T00:00:00Z"})").code, "invalid_request_body");
  EXPECT_EQ(CreateError(R"({"name":"abc","description":false,"expiresAt":"2027-02-01T00:00:00Z"})").code,
            "invalid_request_body");

  auto past = CreateError(R"({"name":"abc","expiresAt":"2027-01-15T08:00:00Z"})");  // == now is not the future
  EXPECT_EQ(past.status, 400);
  EXPECT_EQ(past.code, "invalid_api_key_expiration");
  EXPECT_EQ(past.message, "API key expiration time must be in the future");
  EXPECT_EQ(boost::json::serialize(past.details),
            R"({"fields":[{"field":"expiresAt","code":"invalid_value","message":"must be in the future"}]})");
}

TEST(ApiKeyInputTest, RenewInput) {
  auto ok = ParseRenewInput(Body(R"({"expiresAt":"2027-01-15T08:00:01Z"})"), kNow);
  ASSERT_TRUE(std::holds_alternative<RenewInput>(ok));
  EXPECT_EQ(std::get<RenewInput>(ok).expires_at.unix_seconds, kNow.unix_seconds + 1);
  EXPECT_EQ(std::get<http::ApiError>(ParseRenewInput(Body("{}"), kNow)).message, "ExpiresAt is required");
  EXPECT_EQ(std::get<http::ApiError>(ParseRenewInput(Body(R"({"expiresAt":"2020-01-01T00:00:00Z"})"), kNow)).code,
            "invalid_api_key_expiration");
}

TEST(ApiKeyDtoTest, Shape) {
  ApiKey key{"id-1", "CI", std::nullopt, kNow, std::nullopt, db::Timestamp{kNow.unix_seconds - 60}, false, "u"};
  EXPECT_EQ(boost::json::serialize(ApiKeyDto(key)),
            R"({"id":"id-1","name":"CI","description":null,"expiresAt":"2027-01-15T08:00:00Z","lastUsedAt":null,)"
            R"("createdAt":"2027-01-15T07:59:00Z","expirationEmailSent":false})");
  key.description = "d";
  key.last_used_at = kNow;
  key.expiration_email_sent = true;
  auto dto = ApiKeyDto(key);
  EXPECT_EQ(dto.at("description"), "d");
  EXPECT_EQ(dto.at("lastUsedAt"), "2027-01-15T08:00:00Z");
  EXPECT_EQ(dto.at("expirationEmailSent"), true);
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

class ApiKeyStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    PID_ASSERT_OK(db::Migrate(db(), false));
    store_.emplace(db());
    alice_ = AddUser("alice");
    bob_ = AddUser("bob");
  }

  std::string AddUser(std::string_view username) {
    std::string id = crypto::NewUuidV4();
    auto r = db().Exec("INSERT INTO users (id, created_at, username, first_name, last_name, display_name, is_admin, "
                       "disabled, email_verified) VALUES ($1, $2, $3, 'F', 'L', 'F L', $4, $4, $4)",
                       {id, db::Now(), username, false});
    EXPECT_TRUE(r.ok()) << StatusText(r);
    return id;
  }

  ApiKey Create(const std::string& user, std::string name, int64_t expires_in, std::string hash = "") {
    if (hash.empty()) hash = HashToken(crypto::NewUuidV4());
    auto created = store_->Create(user, {std::move(name), std::nullopt,
                                         db::Timestamp{db::Now().unix_seconds + expires_in}, hash});
    EXPECT_TRUE(created.ok()) << StatusText(created);
    return created.ok() ? *created : ApiKey{};
  }

  std::vector<std::string> Names(const std::string& user, std::string_view query) {
    http::Request req;
    req.query = std::string(query);
    auto page = store_->List(user, http::ParseListRequest(req));
    EXPECT_TRUE(page.ok()) << StatusText(page);
    std::vector<std::string> names;
    if (page.ok()) {
      for (const auto& k : page->items) names.push_back(k.name);
    }
    return names;
  }

  std::optional<ApiKeyStore> store_;
  std::string alice_, bob_;
};

TEST_P(ApiKeyStoreTest, CreateStoresTheHashAndReadsBack) {
  ApiKey key = Create(alice_, "deploy", 3600, HashToken("token-1"));
  EXPECT_EQ(key.user_id, alice_);
  EXPECT_FALSE(key.last_used_at);
  auto rows = db().Query("SELECT key, name, description, expiration_email_sent FROM api_keys WHERE id = $1", {key.id});
  ASSERT_TRUE(rows.ok()) << StatusText(rows);
  EXPECT_EQ((*rows)[0].Text(0), HashToken("token-1"));
  EXPECT_TRUE((*rows)[0].IsNull(2));
  EXPECT_FALSE((*rows)[0].Bool(3));
  auto found = store_->Find(alice_, key.id);
  ASSERT_TRUE(found.ok() && *found);
  EXPECT_EQ((*found)->expires_at, key.expires_at);
  EXPECT_EQ((*found)->created_at, key.created_at);
  EXPECT_FALSE(*store_->Find(bob_, key.id));

  // Names may repeat (Pocket ID has no unique index on them); the hash may not.
  Create(alice_, "deploy", 3600);
  auto clash = store_->Create(bob_, {"other", std::nullopt, db::Timestamp{db::Now().unix_seconds + 60},
                                     HashToken("token-1")});
  EXPECT_EQ(clash.status().code(), StatusCode::kAlreadyExists) << StatusText(clash);
}

TEST_P(ApiKeyStoreTest, ListsOnlyTheUsersKeysPagedAndSorted) {
  Create(alice_, "beta", 7200);
  Create(alice_, "alpha", 60);
  Create(alice_, "gamma", 3600);
  Create(bob_, "bobs", 3600);
  EXPECT_EQ(Names(alice_, "sort[column]=name&sort[direction]=asc"), (std::vector<std::string>{"alpha", "beta", "gamma"}));
  EXPECT_EQ(Names(alice_, "sort[column]=expiresAt&sort[direction]=desc"),
            (std::vector<std::string>{"beta", "gamma", "alpha"}));
  EXPECT_EQ(Names(alice_, "sort[column]=name&pagination[limit]=2&pagination[page]=2"), (std::vector<std::string>{"gamma"}));
  EXPECT_EQ(Names(bob_, ""), (std::vector<std::string>{"bobs"}));
  http::Request req;
  req.query = "pagination[limit]=2";
  auto page = store_->List(alice_, http::ParseListRequest(req));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->page.total_items, 3);
  EXPECT_EQ(page->page.total_pages, 2);
  // Sorting by last use works although most keys were never used.
  ASSERT_TRUE(db().Exec("UPDATE api_keys SET last_used_at = $1 WHERE name = 'gamma'", {db::Now()}).ok());
  EXPECT_EQ(Names(alice_, "sort[column]=lastUsedAt&sort[direction]=desc").size(), 3u);
}

TEST_P(ApiKeyStoreTest, RenewsOnlyExpiredKeysOfTheOwner) {
  const db::Timestamp now = db::Now();
  ApiKey live = Create(alice_, "live", 3600, HashToken("live"));
  auto not_expired = store_->Renew(alice_, live.id, HashToken("new"), db::Timestamp{now.unix_seconds + 60}, now);
  ASSERT_TRUE(not_expired.ok()) << StatusText(not_expired);
  EXPECT_EQ(not_expired->outcome, RenewOutcome::kNotExpired);

  ApiKey old = Create(alice_, "old", -60, HashToken("old"));
  ASSERT_TRUE(db().Exec("UPDATE api_keys SET expiration_email_sent = $1, last_used_at = $2 WHERE id = $3",
                        {true, db::Timestamp{now.unix_seconds - 3600}, old.id})
                  .ok());
  auto foreign = store_->Renew(bob_, old.id, HashToken("new"), db::Timestamp{now.unix_seconds + 60}, now);
  EXPECT_EQ(foreign->outcome, RenewOutcome::kNotFound);
  EXPECT_EQ(store_->Renew(alice_, "not-a-uuid", "h", now, now)->outcome, RenewOutcome::kNotFound);
  EXPECT_EQ(store_->Renew(alice_, crypto::NewUuidV4(), "h", now, now)->outcome, RenewOutcome::kNotFound);

  auto renewed = store_->Renew(alice_, old.id, HashToken("new"), db::Timestamp{now.unix_seconds + 60}, now);
  ASSERT_TRUE(renewed.ok()) << StatusText(renewed);
  ASSERT_EQ(renewed->outcome, RenewOutcome::kRenewed);
  EXPECT_EQ(renewed->key.id, old.id);
  EXPECT_EQ(renewed->key.expires_at.unix_seconds, now.unix_seconds + 60);
  EXPECT_TRUE(renewed->key.expiration_email_sent);  // kept, as Pocket ID keeps it
  EXPECT_TRUE(renewed->key.last_used_at);
  auto rows = db().Query("SELECT key, expires_at FROM api_keys WHERE id = $1", {old.id});
  EXPECT_EQ((*rows)[0].Text(0), HashToken("new"));
  EXPECT_EQ((*rows)[0].Time(1).unix_seconds, now.unix_seconds + 60);
}

TEST_P(ApiKeyStoreTest, DeletesOnlyTheOwnersKey) {
  ApiKey key = Create(alice_, "k1", 3600);
  EXPECT_FALSE(*store_->Delete(bob_, key.id));
  EXPECT_FALSE(*store_->Delete(alice_, "nope"));
  EXPECT_TRUE(*store_->Delete(alice_, key.id));
  EXPECT_FALSE(*store_->Delete(alice_, key.id));
  // Keys go with their owner.
  ApiKey bobs = Create(bob_, "k2", 3600);
  ASSERT_TRUE(db().Exec("DELETE FROM users WHERE id = $1", {bob_}).ok());
  EXPECT_FALSE(*store_->Find(bob_, bobs.id));
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(ApiKeyStoreTest);

}  // namespace
}  // namespace pocketid::apikeys
