#include "core/http/router.h"

namespace pocketid::http {

namespace {
std::vector<std::string_view> SplitSegments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  if (!path.empty() && path[0] == '/') i = 1;
  while (i <= path.size()) {
    size_t slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(i, slash - i));
    i = slash + 1;
  }
  return out;
}

bool IsPattern(std::string_view pattern) {
  return pattern.find(':') != std::string_view::npos || pattern.find('*') != std::string_view::npos;
}
}  // namespace

const Handler* Router::MethodHandlers::For(Method m) const {
  for (const auto& [method, handler] : handlers) {
    if (method == m) return &handler;
  }
  return nullptr;
}

void Router::Add(Method method, std::string_view pattern, Handler handler) {
  if (!IsPattern(pattern)) {
    static_routes_[std::string(pattern)].handlers.emplace_back(method, std::move(handler));
    return;
  }
  std::vector<std::string> segments;
  for (auto s : SplitSegments(pattern)) segments.emplace_back(s);
  for (auto& route : pattern_routes_) {
    if (route.segments == segments) {
      route.methods.handlers.emplace_back(method, std::move(handler));
      return;
    }
  }
  PatternRoute route{std::move(segments), {}};
  route.methods.handlers.emplace_back(method, std::move(handler));
  pattern_routes_.push_back(std::move(route));
}

bool Router::MatchPattern(const PatternRoute& route, std::string_view path,
                          std::vector<std::pair<std::string, std::string>>& params) {
  params.clear();
  std::string_view rest = path.empty() ? path : path.substr(1);
  for (size_t i = 0; i < route.segments.size(); ++i) {
    const std::string& seg = route.segments[i];
    if (!seg.empty() && seg[0] == '*') {
      params.emplace_back(seg.substr(1), std::string(rest));
      return true;
    }
    size_t slash = rest.find('/');
    bool last = i + 1 == route.segments.size();
    if (last != (slash == std::string_view::npos)) return false;
    std::string_view part = rest.substr(0, slash);
    if (!seg.empty() && seg[0] == ':') {
      if (part.empty()) return false;
      params.emplace_back(seg.substr(1), std::string(part));
    } else if (part != seg) {
      return false;
    }
    rest = last ? std::string_view() : rest.substr(slash + 1);
  }
  return true;
}

Router::Match Router::FindExact(Method method, std::string_view path, Request& req) const {
  if (auto it = static_routes_.find(std::string(path)); it != static_routes_.end()) {
    if (const Handler* h = it->second.For(method)) return {MatchKind::kFound, h, {}};
    return {MatchKind::kWrongMethod, nullptr, {}};
  }
  std::vector<std::pair<std::string, std::string>> params;
  bool path_known = false;
  for (const auto& route : pattern_routes_) {
    if (!MatchPattern(route, path, params)) continue;
    if (const Handler* h = route.methods.For(method)) {
      req.path_params = std::move(params);
      return {MatchKind::kFound, h, {}};
    }
    path_known = true;
  }
  return {path_known ? MatchKind::kWrongMethod : MatchKind::kNotFound, nullptr, {}};
}

Router::Match Router::Find(Method method, std::string_view path, Request& req) const {
  Match m = FindExact(method, path, req);
  if (m.kind != MatchKind::kNotFound) return m;
  // Like gin: a registered route asked for with a trailing slash redirects to the canonical path.
  if (path.size() > 1 && path.back() == '/') {
    std::string_view trimmed = path.substr(0, path.size() - 1);
    Request scratch;
    if (FindExact(method, trimmed, scratch).kind == MatchKind::kFound) {
      return {MatchKind::kTrailingSlashRedirect, nullptr, std::string(trimmed)};
    }
  }
  return m;
}

}  // namespace pocketid::http
