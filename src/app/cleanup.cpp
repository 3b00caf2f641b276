#include "app/cleanup.h"

#include <random>

#include <spdlog/spdlog.h>

namespace pocketid::app {

StatusOr<int64_t> RunCleanup(db::Database& database, int audit_log_retention_days) {
  int64_t now = db::Now().unix_seconds;
  struct Step {
    const char* sql;
    int64_t before;
  };
  const Step steps[] = {
      {"DELETE FROM login_codes WHERE expires_at <= $1", now},
      {"DELETE FROM device_login_requests WHERE expires_at <= $1", now},
      {"DELETE FROM webauthn_sessions WHERE expires_at < $1", now},
      {"DELETE FROM reauthentication_tokens WHERE expires_at < $1", now},
      {"DELETE FROM oauth2_sessions WHERE expires_at < $1", now},
      {"DELETE FROM oauth2_jtis WHERE expires_at < $1", now},
      {"DELETE FROM interaction_sessions WHERE created_at < $1", now - 3600},
      {"DELETE FROM audit_logs WHERE created_at < $1", now - int64_t{audit_log_retention_days} * 86400},
  };
  int64_t removed = 0;
  for (const auto& step : steps) {
    PID_ASSIGN_OR_RETURN(int64_t n, database.Exec(step.sql, {db::Timestamp{step.before}}));
    removed += n;
  }
  return removed;
}

PeriodicCleanup::PeriodicCleanup(db::Database& database, int audit_log_retention_days,
                                 std::chrono::seconds interval)
    : database_(database), retention_days_(audit_log_retention_days), interval_(interval), thread_([this] { Loop(); }) {}

PeriodicCleanup::~PeriodicCleanup() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicCleanup::Loop() {
  // ±5 minutes of jitter, as Pocket ID does, so replicas started together spread out.
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> jitter(-300, 300);
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    auto removed = RunCleanup(database_, retention_days_);
    if (!removed.ok()) spdlog::warn("cleanup failed: {}", removed.status().message());
    else if (*removed > 0) spdlog::debug("cleanup removed {} expired rows", *removed);
    lock.lock();
    auto wait = interval_ + std::chrono::seconds(interval_ >= std::chrono::hours(1) ? jitter(rng) : 0);
    wake_.wait_for(lock, wait, [this] { return stopping_; });
  }
}

}  // namespace pocketid::app
