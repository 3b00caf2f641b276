#include "customclaims/handlers.h"

namespace pocketid::customclaims {

void RegisterRoutes(http::Router& router, Deps deps) {
  (void)router;
  (void)deps;
}

}  // namespace pocketid::customclaims
