#include "core/crypto/ossl_internal.h"

#include <openssl/err.h>

#include <cstdio>
#include <cstdlib>

namespace pocketid::crypto::internal {

std::string OpenSslError(std::string_view what) {
  std::string out(what);
  unsigned long code = ERR_peek_error();
  if (code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    out += ": ";
    out += buf;
  }
  ERR_clear_error();
  return out;
}

void ClearOpenSslErrors() { ERR_clear_error(); }

void Fatal(std::string_view what) {
  std::string msg = OpenSslError(what);
  std::fprintf(stderr, "pocket-id: fatal crypto failure: %s\n", msg.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace pocketid::crypto::internal
