#include "profilepictures/handlers.h"

namespace pocketid::profilepictures {

void RegisterRoutes(http::Router& router, Deps deps) {
  (void)router;
  (void)deps;
}

}  // namespace pocketid::profilepictures
