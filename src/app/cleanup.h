// Housekeeping Pocket ID runs at start-up and then daily (management.md §10): deleting expired login codes,
// WebAuthn ceremonies, reauthentication tokens, OAuth state and audit rows past their retention. Every statement
// only deletes what has expired, so replicas running it at the same time do no harm and need no coordination.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/db/database.h"

namespace pocketid::app {

// Runs one pass; returns the number of rows removed.
StatusOr<int64_t> RunCleanup(db::Database& database, int audit_log_retention_days);

class PeriodicCleanup {
 public:
  PeriodicCleanup(db::Database& database, int audit_log_retention_days,
                  std::chrono::seconds interval = std::chrono::hours(24));
  ~PeriodicCleanup();  // stops the thread; a pass in progress finishes first
  PeriodicCleanup(const PeriodicCleanup&) = delete;
  PeriodicCleanup& operator=(const PeriodicCleanup&) = delete;

 private:
  void Loop();

  db::Database& database_;
  int retention_days_;
  std::chrono::seconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pocketid::app
