#include "spa/spa.h"

#include <ctime>

namespace pocketid::spa {

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Types Pocket ID serves precompressed variants for.
bool IsCompressible(std::string_view path) {
  for (auto ext : {".css", ".html", ".js", ".json", ".md", ".mdx", ".mjs", ".svg", ".txt", ".wasm", ".xml"}) {
    if (EndsWith(path, ext)) return true;
  }
  return false;
}

bool AcceptsEncoding(const http::Request& req, std::string_view encoding) {
  auto accept = req.Header("Accept-Encoding");
  if (!accept) return false;
  // Good enough for browsers: a token match; "q=0" exclusions are not something browsers send for br/gzip.
  size_t pos = 0;
  while ((pos = accept->find(encoding, pos)) != std::string_view::npos) {
    bool start_ok = pos == 0 || (*accept)[pos - 1] == ' ' || (*accept)[pos - 1] == ',';
    size_t end = pos + encoding.size();
    bool end_ok = end == accept->size() || (*accept)[end] == ',' || (*accept)[end] == ';' || (*accept)[end] == ' ';
    if (start_ok && end_ok) return true;
    pos = end;
  }
  return false;
}

std::string HttpDate(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

}  // namespace

std::string ContentTypeFor(std::string_view path) {
  struct Type {
    std::string_view ext, type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".webp", "image/webp"}, {".gif", "image/gif"},
      {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".woff", "font/woff"}, {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"}, {".xml", "text/xml; charset=utf-8"}, {".wasm", "application/wasm"},
      {".webmanifest", "application/manifest+json"},
  };
  for (const auto& t : kTypes) {
    if (EndsWith(path, t.ext)) return std::string(t.type);
  }
  return "application/octet-stream";
}

StaticSite::StaticSite(std::span<const EmbeddedAsset> assets, std::chrono::system_clock::time_point started)
    : last_modified_(HttpDate(started)) {
  for (const auto& a : assets) {
    std::string_view path = a.path;
    if (EndsWith(path, ".gz") || EndsWith(path, ".br")) continue;
    File f;
    f.data = a.data;
    f.content_type = ContentTypeFor(path);
    f.immutable = path.starts_with("/_app/immutable/");
    files_.emplace(std::string(path), f);
  }
  for (const auto& a : assets) {
    std::string_view path = a.path;
    bool gz = EndsWith(path, ".gz"), br = EndsWith(path, ".br");
    if (!gz && !br) continue;
    auto it = files_.find(std::string(path.substr(0, path.size() - 3)));
    if (it == files_.end() || !IsCompressible(it->first)) continue;
    (gz ? it->second.gzip : it->second.brotli) = a.data;
  }
  if (auto it = files_.find("/index.html"); it != files_.end()) {
    // Split index.html at every "<script" so each request can insert its nonce without searching again.
    std::string_view html = it->second.data;
    size_t start = 0, pos;
    while ((pos = html.find("<script", start)) != std::string_view::npos) {
      index_parts_.push_back(html.substr(start, pos + 7 - start));
      start = pos + 7;
    }
    index_parts_.push_back(html.substr(start));
    files_.erase(it);  // never served as a file: always through ServeIndex
  }
}

http::Response StaticSite::ServeFile(const http::Request& req, const File& f) const {
  http::Response res;
  res.status = 200;
  res.headers.Add("Content-Type", f.content_type);
  if (f.immutable) {
    res.headers.Add("Cache-Control", "public, max-age=31536000, immutable");
  } else {
    res.headers.Add("Cache-Control", "public, max-age=86400");
    res.headers.Add("Last-Modified", last_modified_);
    if (auto since = req.Header("If-Modified-Since"); since && *since == last_modified_) {
      res.status = 304;
      return res;
    }
  }
  if (!f.gzip.empty() || !f.brotli.empty()) res.headers.Add("Vary", "Accept-Encoding");
  if (!f.brotli.empty() && AcceptsEncoding(req, "br")) {
    res.headers.Add("Content-Encoding", "br");
    res.body.assign(f.brotli);
  } else if (!f.gzip.empty() && AcceptsEncoding(req, "gzip")) {
    res.headers.Add("Content-Encoding", "gzip");
    res.body.assign(f.gzip);
  } else {
    res.body.assign(f.data);
  }
  return res;
}

http::Response StaticSite::ServeIndex(const http::Request& req) const {
  http::Response res;
  res.status = 200;
  res.headers.Add("Content-Type", "text/html; charset=utf-8");
  res.headers.Add("Cache-Control", "no-store");
  std::string nonce_attr = " nonce=\"" + req.csp_nonce + "\"";
  for (size_t i = 0; i < index_parts_.size(); ++i) {
    res.body.append(index_parts_[i]);
    if (i + 1 < index_parts_.size()) res.body.append(nonce_attr);
  }
  return res;
}

http::Response StaticSite::Serve(const http::Request& req) const {
  if (req.method == http::Method::kGet) {
    if (auto it = files_.find(req.path); it != files_.end()) return ServeFile(req, it->second);
  }
  if (index_parts_.empty()) {
    return http::Response::Text(404, "404 page not found (the web UI is not part of this build)");
  }
  return ServeIndex(req);
}

}  // namespace pocketid::spa
