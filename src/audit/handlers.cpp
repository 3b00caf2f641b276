#include "audit/handlers.h"

namespace pocketid::audit {

void RegisterRoutes(http::Router& router, Deps deps) {
  (void)router;
  (void)deps;
}

}  // namespace pocketid::audit
