#include "devicelogin/device_login_store.h"

#include <gtest/gtest.h>

#include "core/crypto/random.h"
#include "core/db/db_test_util.h"
#include "core/db/migrate.h"

namespace pocketid::devicelogin {
namespace {

using db::testing::StatusText;

class DeviceLoginStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    PID_ASSERT_OK(db::Migrate(db(), false));
    store_.emplace(db());
    user_id_ = crypto::NewUuidV4();
    auto r = db().Exec("INSERT INTO users (id, created_at, username, first_name, last_name, display_name, is_admin, "
                       "disabled, email_verified) VALUES ($1, $2, 'tim', 'Tim', 'C', 'Tim C', $3, $3, $3)",
                       {user_id_, db::Now(), false});
    ASSERT_TRUE(r.ok()) << StatusText(r);
  }

  CreatedRequest MustCreate() {
    auto created = store_->Create("203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", "Germany", "Berlin");
    EXPECT_TRUE(created.ok()) << StatusText(created);
    return created.ok() ? *created : CreatedRequest{};
  }

  ExchangeState StateOf(const CreatedRequest& r, std::string_view token) {
    auto view = store_->View(r.code, token);
    EXPECT_TRUE(view.ok()) << StatusText(view);
    return view.ok() ? view->state : ExchangeState::kInvalid;
  }

  std::optional<DeviceLoginStore> store_;
  std::string user_id_;
};

TEST_P(DeviceLoginStoreTest, ApprovedRequestIsExchangedOnceByItsBrowser) {
  CreatedRequest r = MustCreate();
  EXPECT_EQ(r.code.size(), 8u);
  EXPECT_EQ(r.code[0], 'P');
  EXPECT_EQ(r.token.size(), 32u);
  EXPECT_EQ(StateOf(r, r.token), ExchangeState::kPending);
  EXPECT_EQ(StateOf(r, "another browser's token"), ExchangeState::kInvalid);

  // Typed codes are normalised like the OAuth device flow's.
  std::string typed = r.code;
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto pending = store_->FindPending("  " + typed + " ");
  ASSERT_TRUE(pending.ok()) << StatusText(pending);
  ASSERT_TRUE(pending->has_value());
  EXPECT_EQ((*pending)->ip_address, "203.0.113.7");
  EXPECT_EQ((*pending)->city, "Berlin");

  auto decided = store_->Decide(typed, Decision::kApprove, user_id_);
  ASSERT_TRUE(decided.ok()) << StatusText(decided);
  EXPECT_TRUE(*decided);
  auto again = store_->Decide(r.code, Decision::kDeny, user_id_);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);  // settled once
  auto gone = store_->FindPending(r.code);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());

  auto view = store_->View(r.code, r.token);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->state, ExchangeState::kApproved);
  EXPECT_EQ(view->user_id, user_id_);
  EXPECT_FALSE(*store_->Consume(r.code, "wrong"));
  EXPECT_TRUE(*store_->Consume(r.code, r.token));
  EXPECT_FALSE(*store_->Consume(r.code, r.token));
  EXPECT_EQ(StateOf(r, r.token), ExchangeState::kInvalid);
}

TEST_P(DeviceLoginStoreTest, DeniedAndExpiredRequests) {
  CreatedRequest denied = MustCreate();
  ASSERT_TRUE(*store_->Decide(denied.code, Decision::kDeny, user_id_));
  EXPECT_EQ(StateOf(denied, denied.token), ExchangeState::kDenied);
  EXPECT_FALSE(*store_->Consume(denied.code, denied.token));

  CreatedRequest expired = MustCreate();
  auto r = db().Exec("UPDATE device_login_requests SET expires_at = $1 WHERE status = 'pending'",
                     {db::Timestamp{db::Now().unix_seconds - 1}});
  ASSERT_TRUE(r.ok()) << StatusText(r);
  EXPECT_EQ(StateOf(expired, expired.token), ExchangeState::kInvalid);
  EXPECT_FALSE(store_->FindPending(expired.code)->has_value());
  EXPECT_FALSE(*store_->Decide(expired.code, Decision::kApprove, user_id_));
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(DeviceLoginStoreTest);

}  // namespace
}  // namespace pocketid::devicelogin
