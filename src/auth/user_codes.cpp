#include "auth/user_codes.h"

#include "core/crypto/random.h"

namespace pocketid::auth {

namespace {
constexpr std::string_view kUserCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ0123456789";
constexpr size_t kUserCodeRandomLength = 7;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
}  // namespace

std::string NewUserCode(char prefix) { return prefix + crypto::RandomString(kUserCodeRandomLength, kUserCodeAlphabet); }

std::string NormalizeUserCode(std::string_view typed) {
  while (!typed.empty() && IsSpace(typed.front())) typed.remove_prefix(1);
  while (!typed.empty() && IsSpace(typed.back())) typed.remove_suffix(1);
  std::string code(typed);
  for (char& c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'I') c = '1';
    if (c == 'O') c = '0';
  }
  return code;
}

}  // namespace pocketid::auth
