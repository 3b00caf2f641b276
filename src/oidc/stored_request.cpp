#include "oidc/stored_request.h"

#include <map>

#include <boost/json.hpp>

#include "core/db/timestamp.h"

namespace pocketid::oidc {

namespace {

constexpr std::string_view kZeroTime = "0001-01-01T00:00:00Z";

std::string TimeText(int64_t unix_seconds) {
  if (unix_seconds == 0) return std::string(kZeroTime);
  return db::FormatRfc3339(db::Timestamp{unix_seconds});
}

int64_t TimeValue(const boost::json::value* v) {
  if (v == nullptr || !v->is_string()) return 0;
  std::string_view text = v->as_string();
  if (text.starts_with("0001-01-01")) return 0;
  auto t = db::ParseTimestamp(text);
  return t.ok() ? t->unix_seconds : 0;
}

const boost::json::value* Member(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

std::string Str(const boost::json::object& o, std::string_view key) {
  const auto* v = Member(o, key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::vector<std::string> List(const boost::json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const auto* v = Member(o, key);
  if (v == nullptr || !v->is_array()) return out;
  for (const auto& e : v->as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

boost::json::array ListJson(const std::vector<std::string>& values) {
  boost::json::array a;
  for (const auto& v : values) a.emplace_back(v);
  return a;
}

void PutList(boost::json::object& o, std::string_view key, const std::vector<std::string>& values) {
  if (!values.empty()) o[key] = ListJson(values);
}

void PutString(boost::json::object& o, std::string_view key, const std::string& value) {
  if (!value.empty()) o[key] = value;
}

boost::json::object FormJson(const Form& form) {
  // url.Values: key → list of values.
  boost::json::object out;
  for (const auto& [k, v] : form.pairs()) {
    auto it = out.find(k);
    if (it == out.end()) {
      out[k] = boost::json::array{boost::json::value(v)};
    } else {
      it->value().as_array().emplace_back(v);
    }
  }
  return out;
}

Form FormFromJson(const boost::json::value* v) {
  Form form;
  if (v == nullptr || !v->is_object()) return form;
  for (const auto& [k, values] : v->as_object()) {
    if (!values.is_array()) continue;
    for (const auto& e : values.as_array()) {
      if (e.is_string()) form.Add(std::string(k), std::string(e.as_string()));
    }
  }
  return form;
}

boost::json::object SessionJson(const GrantSession& s) {
  boost::json::object claims{
      {"jti", s.id_token_jti},
      {"iss", ""},
      {"sub", s.subject},
      {"aud", boost::json::array{}},
      {"nonce", s.nonce},
      {"exp", std::string(kZeroTime)},
      {"iat", std::string(kZeroTime)},
      {"rat", TimeText(s.requested_at)},
      {"auth_time", TimeText(s.auth_time)},
      {"at_hash", ""},
      {"acr", s.acr},
      {"amr", s.authentication_method.empty() ? boost::json::value(nullptr)
                                              : boost::json::value(boost::json::array{
                                                    boost::json::value(s.authentication_method)})},
      {"c_hash", ""},
      {"ext", s.id_token_extra},
  };
  boost::json::object headers_extra;
  if (!s.alg.empty()) headers_extra["alg"] = s.alg;
  boost::json::object out{
      {"id_token_claims", std::move(claims)},
      {"headers", boost::json::object{{"extra", std::move(headers_extra)}}},
  };
  boost::json::object expires;
  if (s.access_token_expires_at) expires["access_token"] = TimeText(*s.access_token_expires_at);
  if (s.refresh_token_expires_at) expires["refresh_token"] = TimeText(*s.refresh_token_expires_at);
  if (s.authorize_code_expires_at) expires["authorize_code"] = TimeText(*s.authorize_code_expires_at);
  if (!expires.empty()) out["expires_at"] = std::move(expires);
  out["subject"] = s.subject;
  if (!s.authentication_method.empty()) out["authentication_method"] = s.authentication_method;
  return out;
}

GrantSession SessionFromJson(const boost::json::value* v) {
  GrantSession s;
  if (v == nullptr || !v->is_object()) return s;
  const auto& o = v->as_object();
  s.subject = Str(o, "subject");
  s.authentication_method = Str(o, "authentication_method");
  if (const auto* c = Member(o, "id_token_claims"); c != nullptr && c->is_object()) {
    const auto& claims = c->as_object();
    s.id_token_jti = Str(claims, "jti");
    s.nonce = Str(claims, "nonce");
    s.auth_time = TimeValue(Member(claims, "auth_time"));
    s.requested_at = TimeValue(Member(claims, "rat"));
    s.acr = Str(claims, "acr");
    if (const auto* ext = Member(claims, "ext"); ext != nullptr && ext->is_object()) s.id_token_extra = ext->as_object();
    if (s.authentication_method.empty()) {
      auto amr = List(claims, "amr");
      if (!amr.empty()) s.authentication_method = amr.front();
    }
  }
  if (const auto* h = Member(o, "headers"); h != nullptr && h->is_object()) {
    if (const auto* extra = Member(h->as_object(), "extra"); extra != nullptr && extra->is_object()) {
      s.alg = Str(extra->as_object(), "alg");
    }
  }
  if (const auto* e = Member(o, "expires_at"); e != nullptr && e->is_object()) {
    const auto& exp = e->as_object();
    if (Member(exp, "access_token")) s.access_token_expires_at = TimeValue(Member(exp, "access_token"));
    if (Member(exp, "refresh_token")) s.refresh_token_expires_at = TimeValue(Member(exp, "refresh_token"));
    if (Member(exp, "authorize_code")) s.authorize_code_expires_at = TimeValue(Member(exp, "authorize_code"));
  }
  return s;
}

}  // namespace

std::string StoredRequestJson(const StoredRequest& r) {
  boost::json::object o;
  if (r.authorize) o["authorize"] = true;
  o["id"] = r.id;
  o["requested_at"] = TimeText(r.requested_at);
  o["client_id"] = r.client_id;
  PutList(o, "requested_scope", r.requested_scope);
  PutList(o, "granted_scope", r.granted_scope);
  if (!r.form.empty()) o["form"] = FormJson(r.form);
  o["session"] = SessionJson(r.session);
  PutList(o, "requested_audience", r.requested_audience);
  PutList(o, "granted_audience", r.granted_audience);
  if (r.device) {
    o["device"] = true;
    o["user_code_state"] = static_cast<int>(r.user_code_state);
  }
  PutList(o, "response_types", r.response_types);
  PutString(o, "redirect_uri", r.redirect_uri);
  PutString(o, "state", r.state);
  PutString(o, "response_mode", r.response_mode);
  PutString(o, "default_response_mode", r.default_response_mode);
  return boost::json::serialize(o);
}

StatusOr<StoredRequest> ParseStoredRequest(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return Status(StatusCode::kDataLoss, "oauth2_sessions.request_data is not a JSON object");
  const auto& o = v.as_object();
  StoredRequest r;
  if (const auto* a = Member(o, "authorize"); a != nullptr && a->is_bool()) r.authorize = a->as_bool();
  r.id = Str(o, "id");
  r.requested_at = TimeValue(Member(o, "requested_at"));
  r.client_id = Str(o, "client_id");
  r.requested_scope = List(o, "requested_scope");
  r.granted_scope = List(o, "granted_scope");
  r.form = FormFromJson(Member(o, "form"));
  r.session = SessionFromJson(Member(o, "session"));
  r.requested_audience = List(o, "requested_audience");
  r.granted_audience = List(o, "granted_audience");
  if (const auto* d = Member(o, "device"); d != nullptr && d->is_bool()) r.device = d->as_bool();
  if (const auto* st = Member(o, "user_code_state"); st != nullptr && st->is_int64()) {
    int64_t v = st->as_int64();
    if (v == 1) r.user_code_state = UserCodeState::kAccepted;
    if (v == 2) r.user_code_state = UserCodeState::kRejected;
  }
  r.response_types = List(o, "response_types");
  r.redirect_uri = Str(o, "redirect_uri");
  r.state = Str(o, "state");
  r.response_mode = Str(o, "response_mode");
  r.default_response_mode = Str(o, "default_response_mode");
  return r;
}

}  // namespace pocketid::oidc
