#include "profilepictures/initials.h"

#include <gtest/gtest.h>

namespace pocketid::profilepictures {
namespace {

TEST(InitialsTest, FirstLettersOfFirstAndLastName) {
  EXPECT_EQ(Initials("Tim", "Cook", "tim"), "TC");
  EXPECT_EQ(Initials("craig", "federighi", "craig"), "CF");
  EXPECT_EQ(Initials("Tim", "", "tim"), "T");
  EXPECT_EQ(Initials("", "cook", "tim"), "C");
  // Leading whitespace is skipped, as Go's GetFirstCharacter does.
  EXPECT_EQ(Initials("  tim", "\t\u00a0cook", "x"), "TC");
}

TEST(InitialsTest, FallsBackToTheUsernameOnlyWhenBothNamesAreEmpty) {
  EXPECT_EQ(Initials("", "", "alice"), "AL");
  EXPECT_EQ(Initials("   ", "", "bob"), "BO");
  EXPECT_EQ(Initials("", "", "a"), "");
  EXPECT_EQ(Initials("", "", ""), "");
  EXPECT_EQ(Initials("", "", "x.y"), "X.");
}

TEST(InitialsTest, FirstCharacterMeansFirstCodePoint) {
  EXPECT_EQ(Initials("élodie", "østergaard", "e"), "ÉØ");
  EXPECT_EQ(Initials("ßara", "ÿves", "s"), "ßŸ");
  EXPECT_EQ(Initials("łukasz", "ňa", "l"), "ŁŇ");
  EXPECT_EQ(Initials("σοφία", "ωρ", "s"), "ΣΩ");
  EXPECT_EQ(Initials("юлия", "ёж", "j"), "ЮЁ");
  EXPECT_EQ(Initials("明", "李", "m"), "明李");
  EXPECT_EQ(Initials("😀x", "y", "m"), "😀Y");
  EXPECT_EQ(Initials("", "", "éa"), "ÉA");
  // Malformed UTF-8 reads as U+FFFD.
  EXPECT_EQ(Initials("\xff", "\xc3", "m"), "\uFFFD\uFFFD");
}

TEST(InitialsTest, OnlyPlainNamesBecomeCacheFiles) {
  EXPECT_TRUE(CacheableInitials("TC"));
  EXPECT_TRUE(CacheableInitials("ÉØ"));
  EXPECT_FALSE(CacheableInitials(""));
  EXPECT_FALSE(CacheableInitials("/X"));
  EXPECT_FALSE(CacheableInitials(".."));
  EXPECT_FALSE(CacheableInitials("A\\"));
  EXPECT_FALSE(CacheableInitials(std::string("A\0", 2)));
  EXPECT_FALSE(CacheableInitials("A\n"));
}

}  // namespace
}  // namespace pocketid::profilepictures
