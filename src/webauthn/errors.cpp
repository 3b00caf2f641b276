#include "webauthn/errors.h"

namespace pocketid::webauthn {

FailureKind ClassifyFailure(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return FailureKind::kMalformed;
    case StatusCode::kFailedPrecondition:
      return FailureKind::kUserVerificationMissing;
    default:
      return FailureKind::kVerificationFailed;
  }
}

}  // namespace pocketid::webauthn
