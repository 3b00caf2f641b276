#include "core/curl/http_get.h"

#include <algorithm>

#include "core/curl/libcurl_api.h"

namespace pocketid::curl {

namespace {

struct Transfer {
  std::string body;
  size_t max_bytes = 0;
  bool too_large = false;
  const std::atomic<bool>* cancel = nullptr;
};

size_t OnBody(char* data, size_t size, size_t n, void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  size_t bytes = size * n;
  if (t->body.size() + bytes > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->body.append(data, bytes);
  return bytes;
}

int OnProgress(void* userdata, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(userdata);
  return t->cancel != nullptr && t->cancel->load() ? 1 : 0;  // non-zero aborts the transfer
}

}  // namespace

StatusOr<GetResponse> Get(const GetRequest& request) {
  PID_ASSIGN_OR_RETURN(const LibcurlApi* loaded, LoadLibcurl());
  const LibcurlApi& libcurl = *loaded;
  EasyHandle curl = NewEasyHandle(libcurl);
  if (!curl) return InternalError("curl_easy_init failed");
  Transfer transfer;
  transfer.max_bytes = request.max_bytes;
  transfer.cancel = request.cancel;
  CURL* c = curl.get();
  char error[CURL_ERROR_SIZE] = {0};
  libcurl.curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  libcurl.curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  libcurl.curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  libcurl.curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  libcurl.curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  libcurl.curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  libcurl.curl_easy_setopt(c, CURLOPT_USERAGENT, request.user_agent.c_str());
  libcurl.curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(request.timeout.count(), 1)));
  libcurl.curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  libcurl.curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  libcurl.curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnBody);
  libcurl.curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  libcurl.curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  libcurl.curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  libcurl.curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
  CURLcode rc = libcurl.curl_easy_perform(c);
  if (transfer.too_large) return InvalidArgumentError("the download is larger than allowed");
  if (rc == CURLE_ABORTED_BY_CALLBACK) return UnavailableError("the download was cancelled");
  if (rc != CURLE_OK) return UnavailableError(error[0] ? error : libcurl.curl_easy_strerror(rc));
  GetResponse response;
  libcurl.curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(transfer.body);
  return response;
}

}  // namespace pocketid::curl
