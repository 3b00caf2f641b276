#include "apikeys/handlers.h"

namespace pocketid::apikeys {

void RegisterRoutes(http::Router& router, Deps deps) {
  (void)router;
  (void)deps;
}

}  // namespace pocketid::apikeys
