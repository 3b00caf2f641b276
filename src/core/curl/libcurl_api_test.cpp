#include "core/curl/libcurl_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string_view>

namespace pocketid::curl {
namespace {

using ::testing::HasSubstr;

TEST(LibcurlApiTest, LoadsEveryFunctionAndCallsThem) {
  auto loaded = LoadLibcurl();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const LibcurlApi& libcurl = **loaded;
  EXPECT_EQ(*LoadLibcurl(), &libcurl);  // one table per process

  CURL* handle = libcurl.curl_easy_init();
  ASSERT_NE(handle, nullptr);
  // The variadic functions, called with the argument types the options document.
  EXPECT_EQ(libcurl.curl_easy_setopt(handle, CURLOPT_URL, "http://127.0.0.1:1/"), CURLE_OK);
  EXPECT_EQ(libcurl.curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, 1000L), CURLE_OK);
  long status = -1;
  EXPECT_EQ(libcurl.curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status), CURLE_OK);
  EXPECT_EQ(status, 0);  // nothing was transferred
  curl_slist* headers = libcurl.curl_slist_append(nullptr, "Accept: image/*");
  ASSERT_NE(headers, nullptr);
  EXPECT_EQ(std::string_view(headers->data), "Accept: image/*");
  libcurl.curl_slist_free_all(headers);
  libcurl.curl_easy_cleanup(handle);
  EXPECT_THAT(libcurl.curl_easy_strerror(CURLE_COULDNT_CONNECT), HasSubstr("connect"));
}

TEST(LibcurlApiTest, AMissingLibraryNamesItselfAndWhatNeedsIt) {
  auto missing = OpenLibcurl("libcurl-pid-missing.so.4");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(),
              HasSubstr("failed to load libcurl-pid-missing.so.4 (needed for outbound HTTP downloads): "));
}

}  // namespace
}  // namespace pocketid::curl
