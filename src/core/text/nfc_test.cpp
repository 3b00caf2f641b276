#include "core/text/nfc.h"

#include <gtest/gtest.h>

namespace pocketid::text {
namespace {

TEST(NfcTest, ComposesDecomposedCharacters) {
  EXPECT_EQ(NormalizeNfc("Cafe\xCC\x81"), "Caf\xC3\xA9");        // e + combining acute -> é
  EXPECT_EQ(NormalizeNfc("\xE1\x84\x80\xE1\x85\xA1"), "\xEA\xB0\x80");  // Hangul jamo -> 가
}

TEST(NfcTest, LeavesComposedAndAsciiTextAlone) {
  EXPECT_EQ(NormalizeNfc("tim.cook@example.com"), "tim.cook@example.com");
  EXPECT_EQ(NormalizeNfc("Caf\xC3\xA9"), "Caf\xC3\xA9");
  EXPECT_EQ(NormalizeNfc(""), "");
}

}  // namespace
}  // namespace pocketid::text
