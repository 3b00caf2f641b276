#include "webauthn/response_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/crypto/encoding.h"

namespace pocketid::webauthn {
namespace {

namespace json = boost::json;

Status Malformed(std::string what) { return InvalidArgumentError("credential response: " + what); }

// A member that is absent or null reads as nullptr.
const json::value* Member(const json::object& obj, std::string_view name) {
  const json::value* v = obj.if_contains(name);
  return (v == nullptr || v->is_null()) ? nullptr : v;
}

StatusOr<std::string> OptionalString(const json::object& obj, std::string_view name) {
  const json::value* v = Member(obj, name);
  if (v == nullptr) return std::string();
  if (!v->is_string()) return Malformed("\"" + std::string(name) + "\" must be a string");
  return std::string(v->get_string());
}

StatusOr<std::string> Base64Member(const json::object& obj, std::string_view name, std::string_view path,
                                   bool required) {
  const json::value* v = Member(obj, name);
  if (v == nullptr) {
    if (required) return Malformed("missing \"" + std::string(path) + "\"");
    return std::string();
  }
  if (!v->is_string()) return Malformed("\"" + std::string(path) + "\" must be a string");
  auto bytes = DecodeBase64UrlLenient(std::string_view(v->get_string()));
  if (!bytes.ok()) return Malformed("\"" + std::string(path) + "\" is not base64url: " + bytes.status().message());
  if (required && bytes->empty()) return Malformed("\"" + std::string(path) + "\" is empty");
  return std::move(bytes).value();
}

StatusOr<json::value> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return Malformed("invalid JSON: " + ec.message());
  if (!root.is_object()) return Malformed("not a JSON object");
  return root;
}

// The members both response kinds share: id, rawId, type, clientExtensionResults, authenticatorAttachment.
struct CommonMembers {
  std::string id;
  std::string raw_id;
  std::string type;
  std::string client_extension_results;
  std::string authenticator_attachment;
};

StatusOr<CommonMembers> ReadCommon(const json::object& obj) {
  CommonMembers out;
  PID_ASSIGN_OR_RETURN(out.id, OptionalString(obj, "id"));
  if (out.id.empty()) return Malformed("missing \"id\"");
  PID_ASSIGN_OR_RETURN(const std::string id_bytes, Base64Member(obj, "id", "id", true));
  PID_ASSIGN_OR_RETURN(out.raw_id, Base64Member(obj, "rawId", "rawId", true));
  if (id_bytes != out.raw_id) return Malformed("\"id\" does not match \"rawId\"");
  PID_ASSIGN_OR_RETURN(out.type, OptionalString(obj, "type"));
  if (out.type != "public-key") return Malformed("\"type\" is not \"public-key\"");
  const json::value* ext = Member(obj, "clientExtensionResults");
  if (ext != nullptr && !ext->is_object()) return Malformed("\"clientExtensionResults\" must be an object");
  out.client_extension_results = ext != nullptr ? json::serialize(*ext) : "{}";
  PID_ASSIGN_OR_RETURN(out.authenticator_attachment, OptionalString(obj, "authenticatorAttachment"));
  if (out.authenticator_attachment != "platform" && out.authenticator_attachment != "cross-platform") {
    out.authenticator_attachment.clear();
  }
  return out;
}

StatusOr<const json::object*> ResponseObject(const json::object& obj) {
  const json::value* v = Member(obj, "response");
  if (v == nullptr) return Malformed("missing \"response\"");
  if (!v->is_object()) return Malformed("\"response\" must be an object");
  return &v->get_object();
}

StatusOr<std::vector<std::string>> Transports(const json::object& response) {
  std::vector<std::string> out;
  const json::value* v = Member(response, "transports");
  if (v == nullptr) return out;
  if (!v->is_array()) return Malformed("\"response.transports\" must be an array");
  for (const json::value& t : v->get_array()) {
    if (!t.is_string()) return Malformed("\"response.transports\" must hold strings");
    out.emplace_back(t.get_string() == "cable" ? "hybrid" : std::string(t.get_string()));
  }
  return out;
}

}  // namespace

StatusOr<std::string> DecodeBase64UrlLenient(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (const size_t bad = text.find_first_of("+/="); bad != std::string_view::npos) {
    return InvalidArgumentError("illegal base64 data at input byte " + std::to_string(bad));
  }
  return crypto::Base64DecodeLenient(text);
}

StatusOr<RegistrationResponse> ParseRegistrationResponseJson(std::string_view text) {
  PID_ASSIGN_OR_RETURN(const json::value root, ParseObject(text));
  const json::object& obj = root.get_object();
  PID_ASSIGN_OR_RETURN(CommonMembers common, ReadCommon(obj));
  PID_ASSIGN_OR_RETURN(const json::object* response, ResponseObject(obj));
  RegistrationResponse out;
  PID_ASSIGN_OR_RETURN(out.client_data_json,
                       Base64Member(*response, "clientDataJSON", "response.clientDataJSON", true));
  PID_ASSIGN_OR_RETURN(out.attestation_object,
                       Base64Member(*response, "attestationObject", "response.attestationObject", true));
  PID_ASSIGN_OR_RETURN(out.transports, Transports(*response));
  out.id = std::move(common.id);
  out.raw_id = std::move(common.raw_id);
  out.type = std::move(common.type);
  out.client_extension_results = std::move(common.client_extension_results);
  out.authenticator_attachment = std::move(common.authenticator_attachment);
  return out;
}

StatusOr<AuthenticationResponse> ParseAuthenticationResponseJson(std::string_view text) {
  PID_ASSIGN_OR_RETURN(const json::value root, ParseObject(text));
  const json::object& obj = root.get_object();
  PID_ASSIGN_OR_RETURN(CommonMembers common, ReadCommon(obj));
  PID_ASSIGN_OR_RETURN(const json::object* response, ResponseObject(obj));
  AuthenticationResponse out;
  PID_ASSIGN_OR_RETURN(out.client_data_json,
                       Base64Member(*response, "clientDataJSON", "response.clientDataJSON", true));
  PID_ASSIGN_OR_RETURN(out.authenticator_data,
                       Base64Member(*response, "authenticatorData", "response.authenticatorData", true));
  PID_ASSIGN_OR_RETURN(out.signature, Base64Member(*response, "signature", "response.signature", true));
  PID_ASSIGN_OR_RETURN(out.user_handle, Base64Member(*response, "userHandle", "response.userHandle", false));
  out.id = std::move(common.id);
  out.raw_id = std::move(common.raw_id);
  out.type = std::move(common.type);
  out.client_extension_results = std::move(common.client_extension_results);
  out.authenticator_attachment = std::move(common.authenticator_attachment);
  return out;
}

}  // namespace pocketid::webauthn
