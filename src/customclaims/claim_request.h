// The HTTP side of custom claims: the `[{key, value}]` request body (CustomClaimCreateDto list) and the errors
// Pocket ID answers for it (management.md §0.2, §1.3).
#pragma once

#include <string>
#include <vector>

#include "core/http/api_error.h"
#include "customclaims/claim_store.h"

namespace pocketid::customclaims {

// A JSON array of {key, value} objects: Content-Type must be JSON (else 400 invalid_request_body), a non-array or
// wrongly typed entry is invalid_request_body, `null` is the empty list. Each entry needs a non-empty key and value
// (400 validation_failed for the first entry missing one, fields `key`/`value` code `required`; a null entry
// misses both). Keys and values come back NFC-normalised.
http::ApiResult<std::vector<Claim>> ParseClaimListBody(const http::Request& req);

// 400 duplicate_claim / reserved_claim with details.key and details.fields [{field:"key", ...}].
http::ApiError InvalidClaimError(const InvalidClaim& invalid);

}  // namespace pocketid::customclaims
