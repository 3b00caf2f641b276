// Custom claims (management.md §1.3): the rows of `custom_claims` that belong to a user or to a user group, the
// rules a claim set must follow (no reserved keys, no key twice), and replacing an owner's whole set.
//
// Built without the HTTP and auth layers so that the users module can apply signupDefaultCustomClaims inside its
// own transaction:
//   if (auto bad = customclaims::FindInvalidClaim(claims)) ...;
//   PID_RETURN_IF_ERROR(customclaims::ReplaceForUserWith(conn, user_id, claims));
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/database.h"
#include "core/status/status.h"
#include "users/user.h"

namespace pocketid::customclaims {

using Claim = users::CustomClaim;  // {key, value}

// The claim names tokens set themselves; a custom claim may not use them.
bool IsReservedKey(std::string_view key);

struct InvalidClaim {
  enum class Reason { kDuplicate, kReserved };
  Reason reason;
  std::string key;
};

// The first rule `claims` breaks, checked as Pocket ID does: a key listed twice first (the second occurrence),
// then reserved keys in list order. nullopt when the set is fine.
std::optional<InvalidClaim> FindInvalidClaim(std::span<const Claim> claims);

// Pocket ID's error message for the problem: "Claim <key> is already defined" / "Claim <key> is reserved and
// can't be used".
std::string Describe(const InvalidClaim& invalid);

// Makes `claims` the owner's whole claim set on the caller's transaction connection: keys that are not listed are
// deleted, listed keys that exist keep their row (and id) with the new value, the others are inserted.
// kInvalidArgument (nothing written) when FindInvalidClaim objects. The owner must exist (see UserExistsWith /
// GroupExistsWith); the claims are stored as given (normalise them first).
Status ReplaceForUserWith(db::Connection& conn, std::string_view user_id, std::span<const Claim> claims);
Status ReplaceForGroupWith(db::Connection& conn, std::string_view group_id, std::span<const Claim> claims);

// The owner's claims ordered by key.
StatusOr<std::vector<Claim>> ForUserWith(db::Connection& conn, std::string_view user_id);
StatusOr<std::vector<Claim>> ForGroupWith(db::Connection& conn, std::string_view group_id);

// Whether the owner row exists. On PostgreSQL ids are uuids: a malformed id is simply unknown.
StatusOr<bool> UserExistsWith(db::Connection& conn, std::string_view user_id);
StatusOr<bool> GroupExistsWith(db::Connection& conn, std::string_view group_id);

// Every key in use, most used first (ties by key): the admin UI's autocompletion.
StatusOr<std::vector<std::string>> Suggestions(db::Database& database);

}  // namespace pocketid::customclaims
