#include "core/dynlib/dynamic_library.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace pocketid::dynlib {
namespace {

using ::testing::HasSubstr;

TEST(DynamicLibraryTest, LoadsALibraryAndCallsAFunction) {
  auto libm = DynamicLibrary::Open("libm.so.6");
  ASSERT_TRUE(libm.ok()) << libm.status().ToString();
  EXPECT_EQ(libm->soname(), "libm.so.6");
  double (*cosine)(double) = nullptr;
  ASSERT_TRUE(libm->Resolve("cos", cosine).ok());
  ASSERT_NE(cosine, nullptr);
  EXPECT_DOUBLE_EQ(cosine(0.0), 1.0);
  EXPECT_DOUBLE_EQ(cosine(M_PI), -1.0);
}

TEST(DynamicLibraryTest, AMissingLibraryNamesItselfAndWhatNeedsIt) {
  auto missing = DynamicLibrary::Open("libpid-does-not-exist.so.1", "the unit test");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kFailedPrecondition);
  const std::string message = missing.status().message();
  EXPECT_THAT(message, HasSubstr("failed to load libpid-does-not-exist.so.1 (needed for the unit test): "));
  EXPECT_THAT(message, HasSubstr("cannot open shared object file"));  // dlerror()'s own words

  auto without_purpose = DynamicLibrary::Open("libpid-does-not-exist.so.1");
  ASSERT_FALSE(without_purpose.ok());
  EXPECT_THAT(without_purpose.status().message(), HasSubstr("failed to load libpid-does-not-exist.so.1: "));
}

TEST(DynamicLibraryTest, AMissingSymbolNamesTheLibraryAndTheSymbol) {
  auto libm = DynamicLibrary::Open("libm.so.6");
  ASSERT_TRUE(libm.ok()) << libm.status().ToString();
  void (*fn)() = nullptr;
  Status s = libm->Resolve("pid_no_such_function", fn);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("libm.so.6 has no symbol pid_no_such_function: "));
  EXPECT_EQ(fn, nullptr);  // left untouched
  // The library is still usable after a failed lookup.
  double (*cosine)(double) = nullptr;
  EXPECT_TRUE(libm->Resolve("cos", cosine).ok());
}

TEST(DynamicLibraryTest, MovingTransfersOwnership) {
  auto opened = DynamicLibrary::Open("libm.so.6");
  ASSERT_TRUE(opened.ok());
  DynamicLibrary first = std::move(*opened);
  DynamicLibrary second = std::move(first);
  double (*cosine)(double) = nullptr;
  EXPECT_TRUE(second.Resolve("cos", cosine).ok());
  // The moved-from object owns nothing any more and says so instead of crashing.
  EXPECT_FALSE(first.Symbol("cos").ok());  // NOLINT(bugprone-use-after-move): testing exactly that
}

}  // namespace
}  // namespace pocketid::dynlib
