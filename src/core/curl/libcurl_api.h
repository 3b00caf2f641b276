// libcurl's functions, loaded from libcurl.so.4 at the first outbound download (GeoIP database refresh, OIDC client
// logo by URL, the healthcheck command) instead of linked, so that a server that never downloads anything does not
// map libcurl and its dependency chain. <curl/curl.h> stays a build dependency for the types and constants.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "core/dynlib/dynamic_library.h"
#include "core/status/status.h"

namespace pocketid::curl {

inline constexpr const char* kLibcurlSoname = "libcurl.so.4";

// Exactly the curl_* functions the project uses, typed after their declarations; members carry the functions'
// names so that `libcurl.curl_easy_perform(...)` reads like the call it replaces. curl_easy_setopt and
// curl_easy_getinfo are variadic (CURLcode (*)(CURL*, CURLoption, ...)): pass each option exactly the type the
// option documents (long, not int; curl_off_t; pointers), as with the linked functions.
struct LibcurlApi {
  decltype(&::curl_easy_init) curl_easy_init;
  decltype(&::curl_easy_cleanup) curl_easy_cleanup;
  decltype(&::curl_easy_setopt) curl_easy_setopt;
  decltype(&::curl_easy_getinfo) curl_easy_getinfo;
  decltype(&::curl_easy_perform) curl_easy_perform;
  decltype(&::curl_easy_strerror) curl_easy_strerror;
  decltype(&::curl_slist_append) curl_slist_append;
  decltype(&::curl_slist_free_all) curl_slist_free_all;
};

using LibcurlLibrary = dynlib::LoadedLibrary<LibcurlApi>;  // OpenLibcurl does not initialise libcurl

// Opens `soname` and resolves the table. LoadLibcurl() uses it with kLibcurlSoname; tests with a missing library.
StatusOr<LibcurlLibrary> OpenLibcurl(const std::string& soname);

// The process-wide table: on the first call (thread-safe) libcurl is loaded and curl_global_init runs, before any
// other curl call can; it is never unloaded. When that fails, every call returns the same error, e.g.
// "failed to load libcurl.so.4 (needed for outbound HTTP downloads): libcurl.so.4: cannot open shared ...".
StatusOr<const LibcurlApi*> LoadLibcurl();

// A curl easy handle, cleaned up through the table it was made with.
struct EasyHandleCleanup {
  const LibcurlApi* libcurl;
  void operator()(CURL* c) const { libcurl->curl_easy_cleanup(c); }
};
using EasyHandle = std::unique_ptr<CURL, EasyHandleCleanup>;
inline EasyHandle NewEasyHandle(const LibcurlApi& libcurl) {
  return EasyHandle(libcurl.curl_easy_init(), EasyHandleCleanup{&libcurl});
}

}  // namespace pocketid::curl
