// Method + path router. Static paths are looked up in a hash map (the hot OIDC paths are static);
// patterns with ":name" segments (and a final "*name" catch-all) are matched segment by segment.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/http/types.h"

namespace pocketid::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  // Registers `handler` for `method` on `pattern` ("/api/users/:id", "/static/*path").
  void Add(Method method, std::string_view pattern, Handler handler);

  enum class MatchKind { kFound, kNotFound, kWrongMethod, kTrailingSlashRedirect };
  struct Match {
    MatchKind kind = MatchKind::kNotFound;
    const Handler* handler = nullptr;
    std::string redirect_path;  // for kTrailingSlashRedirect: the registered path without the trailing '/'
  };
  // On kFound, fills req.path_params.
  Match Find(Method method, std::string_view path, Request& req) const;

 private:
  struct MethodHandlers {
    std::vector<std::pair<Method, Handler>> handlers;
    const Handler* For(Method m) const;
  };
  struct PatternRoute {
    std::vector<std::string> segments;  // ":x" parameter, "*x" catch-all (last only)
    MethodHandlers methods;
  };

  Match FindExact(Method method, std::string_view path, Request& req) const;
  static bool MatchPattern(const PatternRoute& route, std::string_view path,
                           std::vector<std::pair<std::string, std::string>>& params);

  std::unordered_map<std::string, MethodHandlers> static_routes_;
  std::vector<PatternRoute> pattern_routes_;
};

}  // namespace pocketid::http
