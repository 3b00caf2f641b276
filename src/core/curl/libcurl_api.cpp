#include "core/curl/libcurl_api.h"

namespace pocketid::curl {

StatusOr<LibcurlLibrary> OpenLibcurl(const std::string& soname) {
  PID_ASSIGN_OR_RETURN(dynlib::DynamicLibrary library,
                       dynlib::DynamicLibrary::Open(soname, "outbound HTTP downloads"));
  LibcurlApi api{};
#define PID_RESOLVE_CURL(name) PID_RETURN_IF_ERROR(library.Resolve(#name, api.name))
  PID_RESOLVE_CURL(curl_easy_init);
  PID_RESOLVE_CURL(curl_easy_cleanup);
  PID_RESOLVE_CURL(curl_easy_setopt);
  PID_RESOLVE_CURL(curl_easy_getinfo);
  PID_RESOLVE_CURL(curl_easy_perform);
  PID_RESOLVE_CURL(curl_easy_strerror);
  PID_RESOLVE_CURL(curl_slist_append);
  PID_RESOLVE_CURL(curl_slist_free_all);
#undef PID_RESOLVE_CURL
  return LibcurlLibrary{std::move(library), api};
}

namespace {

StatusOr<LibcurlLibrary> OpenAndInitialiseLibcurl() {
  PID_ASSIGN_OR_RETURN(LibcurlLibrary libcurl, OpenLibcurl(kLibcurlSoname));
  // libcurl's process-wide state must be set up before the first curl_easy_init; curl_easy_init would otherwise
  // do it lazily, which is not safe while other threads use curl. The caller runs this exactly once.
  decltype(&::curl_global_init) global_init = nullptr;
  PID_RETURN_IF_ERROR(libcurl.library.Resolve("curl_global_init", global_init));
  if (CURLcode rc = global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK) {
    return InternalError(std::string("curl_global_init failed: ") + libcurl.api.curl_easy_strerror(rc));
  }
  return libcurl;
}

}  // namespace

StatusOr<const LibcurlApi*> LoadLibcurl() {
  // Created once (function-local statics initialise thread-safely, so no curl call can run before
  // curl_global_init has returned) and deliberately never destroyed: no curl_global_cleanup or dlclose while a
  // download thread may still be running at process exit.
  static const StatusOr<LibcurlLibrary>* const loaded = new StatusOr<LibcurlLibrary>(OpenAndInitialiseLibcurl());
  if (!loaded->ok()) return loaded->status();
  return &(*loaded)->api;
}

}  // namespace pocketid::curl
