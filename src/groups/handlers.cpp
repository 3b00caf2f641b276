#include "groups/handlers.h"

namespace pocketid::groups {

void RegisterRoutes(http::Router& router, Deps deps) {
  (void)router;
  (void)deps;
}

}  // namespace pocketid::groups
