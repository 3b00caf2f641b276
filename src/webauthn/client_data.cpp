#include "webauthn/client_data.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/crypto/hash.h"

namespace pocketid::webauthn {
namespace {

namespace json = boost::json;

Status Malformed(std::string what) { return InvalidArgumentError("clientDataJSON: " + what); }

// Browser-supplied strings go into log messages; keep them bounded.
std::string Clip(std::string_view s) {
  constexpr size_t kMax = 200;
  return s.size() <= kMax ? std::string(s) : std::string(s.substr(0, kMax)) + "...";
}

// Go's encoding/json semantics for a string field: absent or null leaves it empty, anything but a string
// is an error.
Status ReadString(const json::object& obj, std::string_view name, std::string& out) {
  const json::value* v = obj.if_contains(name);
  if (v == nullptr || v->is_null()) return Status::Ok();
  if (!v->is_string()) return Malformed("\"" + std::string(name) + "\" must be a string");
  out = std::string(v->get_string());
  return Status::Ok();
}

Status ReadBool(const json::object& obj, std::string_view name, bool& out) {
  const json::value* v = obj.if_contains(name);
  if (v == nullptr || v->is_null()) return Status::Ok();
  if (!v->is_bool()) return Malformed("\"" + std::string(name) + "\" must be a boolean");
  out = v->get_bool();
  return Status::Ok();
}

// tokenBinding (L2 §5.8.1): optional; when present, status must be one of the three defined values.
Status ReadTokenBinding(const json::object& obj, CollectedClientData& out) {
  const json::value* v = obj.if_contains("tokenBinding");
  if (v == nullptr || v->is_null()) return Status::Ok();
  if (!v->is_object()) return Malformed("\"tokenBinding\" must be an object");
  std::string status;
  PID_RETURN_IF_ERROR(ReadString(v->get_object(), "status", status));
  if (status.empty()) return Malformed("token binding present without status");
  if (status != "present" && status != "supported" && status != "not-supported") {
    return Malformed("token binding status \"" + Clip(status) + "\" is invalid");
  }
  out.token_binding_status = std::move(status);
  return Status::Ok();
}

}  // namespace

StatusOr<CollectedClientData> ParseClientData(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return Malformed("invalid JSON: " + ec.message());
  if (!root.is_object()) return Malformed("not a JSON object");
  const json::object& obj = root.get_object();
  CollectedClientData out;
  PID_RETURN_IF_ERROR(ReadString(obj, "type", out.type));
  PID_RETURN_IF_ERROR(ReadString(obj, "challenge", out.challenge));
  PID_RETURN_IF_ERROR(ReadString(obj, "origin", out.origin));
  PID_RETURN_IF_ERROR(ReadString(obj, "topOrigin", out.top_origin));
  PID_RETURN_IF_ERROR(ReadBool(obj, "crossOrigin", out.cross_origin));
  PID_RETURN_IF_ERROR(ReadTokenBinding(obj, out));
  return out;
}

Status VerifyClientData(const CollectedClientData& client_data, std::string_view expected_type,
                        std::string_view expected_challenge, const std::vector<std::string>& origins) {
  if (client_data.type != expected_type) {
    return UnauthenticatedError("client data type \"" + Clip(client_data.type) + "\" is not \"" +
                                std::string(expected_type) + "\"");
  }
  if (!crypto::ConstantTimeEquals(client_data.challenge, expected_challenge)) {
    return UnauthenticatedError("challenge mismatch");
  }
  bool origin_ok = false;
  for (const std::string& o : origins) origin_ok = origin_ok || o == client_data.origin;
  if (!origin_ok) return UnauthenticatedError("origin " + Clip(client_data.origin) + " does not match");
  if (client_data.cross_origin) return UnauthenticatedError("cross-origin ceremonies are not allowed");
  // go-webauthn: a topOrigin is only meaningful with crossOrigin true, which is refused above.
  if (!client_data.top_origin.empty()) {
    return UnauthenticatedError("topOrigin " + Clip(client_data.top_origin) + " given without crossOrigin");
  }
  return Status::Ok();
}

}  // namespace pocketid::webauthn
