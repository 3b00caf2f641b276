#include "core/http/form.h"

#include <algorithm>
#include <map>

namespace pocketid::http {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> QueryUnescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = HexValue(s[i + 1]);
      int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool Form::AddEncoded(std::string_view encoded) {
  bool ok = true;
  while (!encoded.empty()) {
    size_t amp = encoded.find('&');
    std::string_view part = encoded.substr(0, amp);
    encoded = amp == std::string_view::npos ? std::string_view() : encoded.substr(amp + 1);
    if (part.empty()) continue;
    // Go rejects ';' in queries; such a pair is skipped and reported.
    if (part.find(';') != std::string_view::npos) {
      ok = false;
      continue;
    }
    size_t eq = part.find('=');
    auto key = QueryUnescape(part.substr(0, eq));
    auto value = eq == std::string_view::npos ? std::optional<std::string>("") : QueryUnescape(part.substr(eq + 1));
    if (!key || !value) {
      ok = false;
      continue;
    }
    pairs_.emplace_back(std::move(*key), std::move(*value));
  }
  return ok;
}

void Form::Set(std::string_view key, std::string value) {
  Remove(key);
  pairs_.emplace_back(std::string(key), std::move(value));
}

void Form::Remove(std::string_view key) {
  std::erase_if(pairs_, [&](const auto& p) { return p.first == key; });
}

std::string Form::Get(std::string_view key) const {
  for (const auto& [k, v] : pairs_) {
    if (k == key) return v;
  }
  return {};
}

bool Form::Has(std::string_view key) const {
  return std::any_of(pairs_.begin(), pairs_.end(), [&](const auto& p) { return p.first == key; });
}

size_t Form::Count(std::string_view key) const {
  return static_cast<size_t>(std::count_if(pairs_.begin(), pairs_.end(), [&](const auto& p) { return p.first == key; }));
}

std::string Form::Encode() const {
  // Stable sort by key keeps the values of one key in their original order, as Go's map of slices does.
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(pairs_.size());
  for (const auto& p : pairs_) sorted.push_back(&p);
  std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::string out;
  for (const auto* p : sorted) {
    if (!out.empty()) out.push_back('&');
    out += QueryEscape(p->first);
    out.push_back('=');
    out += QueryEscape(p->second);
  }
  return out;
}

std::string QueryEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

bool HasFormBody(const Request& req) {
  auto ct = req.Header("Content-Type");
  if (!ct) return false;
  std::string_view v = *ct;
  v = v.substr(0, v.find(';'));
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return EqualsIgnoreCase(v, "application/x-www-form-urlencoded");
}

std::optional<Form> RequestForm(const Request& req, bool include_query) {
  Form form;
  bool ok = true;
  // Go's ParseForm puts body values first, then the query's.
  if ((req.method == Method::kPost || req.method == Method::kPut || req.method == Method::kPatch) &&
      HasFormBody(req)) {
    ok &= form.AddEncoded(req.body);
  }
  if (include_query) ok &= form.AddEncoded(req.query);
  if (!ok) return std::nullopt;
  return form;
}

}  // namespace pocketid::http
