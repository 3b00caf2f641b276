#include "apikeys/input.h"

#include <boost/json/array.hpp>

#include "core/http/json_body.h"
#include "core/text/nfc.h"
#include "core/text/utf8.h"

namespace pocketid::apikeys {

namespace {

constexpr size_t kNameMin = 3;
constexpr size_t kNameMax = 50;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int TwoDigits(std::string_view s, size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

bool AllDigits(std::string_view s, size_t from, size_t count) {
  if (from + count > s.size()) return false;
  for (size_t i = from; i < from + count; ++i) {
    if (!IsDigit(s[i])) return false;
  }
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// expiresAt binds into a Go time.Time: absent/null leaves the zero time (then "required" fails), a string must be
// RFC 3339 and anything else cannot be bound.
http::ApiResult<std::optional<db::Timestamp>> ExpiresAtField(const boost::json::object& body) {
  auto text = http::OptionalStringField(body, "expiresAt");
  if (auto* e = std::get_if<http::ApiError>(&text)) return *e;
  const auto& value = std::get<std::optional<std::string>>(text);
  if (!value) return std::optional<db::Timestamp>();
  auto parsed = ParseRfc3339(*value);
  if (!parsed) return http::ApiError::InvalidRequestBody();
  return parsed;
}

}  // namespace

std::optional<db::Timestamp> ParseRfc3339(std::string_view s) {
  // 2006-01-02T15:04:05
  if (s.size() < 20 || !AllDigits(s, 0, 4) || s[4] != '-' || !AllDigits(s, 5, 2) || s[7] != '-' ||
      !AllDigits(s, 8, 2) || s[10] != 'T' || !AllDigits(s, 11, 2) || s[13] != ':' || !AllDigits(s, 14, 2) ||
      s[16] != ':' || !AllDigits(s, 17, 2)) {
    return std::nullopt;
  }
  const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + TwoDigits(s, 2);
  const int month = TwoDigits(s, 5), day = TwoDigits(s, 8);
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  if (TwoDigits(s, 11) > 23 || TwoDigits(s, 14) > 59 || TwoDigits(s, 17) > 59) return std::nullopt;
  size_t pos = 19;
  if (s[pos] == '.') {
    size_t digits = 0;
    while (pos + 1 + digits < s.size() && IsDigit(s[pos + 1 + digits])) ++digits;
    if (digits == 0) return std::nullopt;
    pos += 1 + digits;
  }
  std::string_view zone = s.substr(pos);
  if (zone != "Z") {
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !AllDigits(zone, 1, 2) || zone[3] != ':' ||
        !AllDigits(zone, 4, 2) || TwoDigits(zone, 1) > 23 || TwoDigits(zone, 4) > 59) {
      return std::nullopt;
    }
  }
  auto parsed = db::ParseTimestamp(s);
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

http::ApiError InvalidExpiration() {
  http::ApiError error{400, "invalid_api_key_expiration", "API key expiration time must be in the future", {}};
  boost::json::array fields;
  fields.push_back(boost::json::object{{"field", "expiresAt"}, {"code", "invalid_value"},
                                       {"message", "must be in the future"}});
  error.details["fields"] = std::move(fields);
  return error;
}

http::ApiResult<CreateInput> ParseCreateInput(const boost::json::object& body, db::Timestamp now) {
  auto name = http::OptionalStringField(body, "name");
  if (auto* e = std::get_if<http::ApiError>(&name)) return *e;
  auto description = http::OptionalStringField(body, "description");
  if (auto* e = std::get_if<http::ApiError>(&description)) return *e;
  auto expires_at = ExpiresAtField(body);
  if (auto* e = std::get_if<http::ApiError>(&expires_at)) return *e;

  std::vector<http::FieldError> errors;
  // name and description carry Pocket ID's `unorm:"nfc"` tag.
  const std::string n = text::NormalizeNfc(std::get<std::optional<std::string>>(name).value_or(""));
  std::optional<std::string> desc = std::get<std::optional<std::string>>(description);
  if (desc) desc = text::NormalizeNfc(*desc);
  if (n.empty()) {
    errors.push_back({"name", "required", "is required"});
  } else if (text::CountCodePoints(n) < kNameMin) {
    errors.push_back({"name", "too_short", "must be at least 3 characters long"});
  } else if (text::CountCodePoints(n) > kNameMax) {
    errors.push_back({"name", "too_long", "must be at most 50 characters long"});
  }
  const auto& expiry = std::get<std::optional<db::Timestamp>>(expires_at);
  if (!expiry) errors.push_back({"expiresAt", "required", "is required"});
  if (!errors.empty()) return http::ApiError::ValidationFailed(errors);

  if (*expiry <= now) return InvalidExpiration();
  return CreateInput{n, std::move(desc), *expiry};
}

http::ApiResult<RenewInput> ParseRenewInput(const boost::json::object& body, db::Timestamp now) {
  auto expires_at = ExpiresAtField(body);
  if (auto* e = std::get_if<http::ApiError>(&expires_at)) return *e;
  const auto& expiry = std::get<std::optional<db::Timestamp>>(expires_at);
  if (!expiry) return http::ApiError::ValidationFailed({{"expiresAt", "required", "is required"}});
  if (*expiry <= now) return InvalidExpiration();
  return RenewInput{*expiry};
}

}  // namespace pocketid::apikeys
