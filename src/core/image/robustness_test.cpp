// Fuzz-ish robustness: truncated and bit-flipped versions of real images must decode to an error or an image —
// never crash, hang or leak (this runs under ASan/UBSan in the sanitizer build).
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/image/image.h"
#include "core/image/profile_picture.h"
#include "core/image/test_util.h"

namespace pocketid::image {
namespace {

using testing::Fixtures;
using testing::ReadFile;
using testing::TestData;

std::vector<std::filesystem::path> Samples() {
  return {Fixtures() / "cloud-logo.png",     TestData() / "quadrants.jpg",  TestData() / "quadrants-exif6.jpg",
          TestData() / "quadrants.webp",     TestData() / "quadrants.gif",  TestData() / "quadrants-interlaced.gif"};
}

TEST(ImageRobustnessTest, TruncatedImagesAreErrors) {
  std::mt19937 rng(20261123);
  for (const auto& path : Samples()) {
    const std::string data = ReadFile(path);
    ASSERT_FALSE(data.empty()) << path;
    ASSERT_TRUE(Decode(data).ok()) << path;
    // GIF decoding stops after the first frame, so only the trailer (and the frame's terminator) may go missing.
    const size_t keep_ok = DetectFormat(data) == Format::kGif ? 3 : 1;
    for (int i = 0; i < 150; ++i) {
      const size_t cut = std::uniform_int_distribution<size_t>(0, data.size() - keep_ok)(rng);
      auto r = Decode(std::string_view(data).substr(0, cut));
      EXPECT_FALSE(r.ok()) << path << " cut at " << cut << " of " << data.size();
      if (!r.ok()) {
        EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().message();
      }
    }
  }
}

TEST(ImageRobustnessTest, BitFlippedImagesNeverCrash) {
  std::mt19937 rng(5);
  for (const auto& path : Samples()) {
    const std::string data = ReadFile(path);
    int failures = 0;
    for (int i = 0; i < 200; ++i) {
      std::string mutated = data;
      const int flips = std::uniform_int_distribution<int>(1, 8)(rng);
      for (int f = 0; f < flips; ++f) {
        const size_t at = std::uniform_int_distribution<size_t>(0, mutated.size() - 1)(rng);
        mutated[at] = static_cast<char>(mutated[at] ^ (1 << std::uniform_int_distribution<int>(0, 7)(rng)));
      }
      // Every 10th goes through the whole upload pipeline (decode, crop, resize, encode); resizing is the slow part.
      Status s = i % 10 == 0 ? MakeProfilePicture(mutated).status() : Decode(mutated).status();
      if (!s.ok()) {
        ++failures;
        EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.message();
      }
    }
    RecordProperty(path.filename().string() + "_rejected", failures);
  }
}

TEST(ImageRobustnessTest, RandomBytesBehindAValidMagicAreErrors) {
  std::mt19937 rng(7);
  const std::string magics[] = {std::string("\x89PNG\r\n\x1a\n", 8), "\xff\xd8\xff", "GIF89a",
                                std::string("RIFF\x20\0\0\0WEBPVP8L", 16)};
  for (const std::string& magic : magics) {
    for (int i = 0; i < 100; ++i) {
      std::string data = magic;
      const size_t n = std::uniform_int_distribution<size_t>(0, 200)(rng);
      for (size_t k = 0; k < n; ++k) data += static_cast<char>(rng());
      (void)Decode(data);  // must return (almost surely an error), not crash
    }
  }
}

}  // namespace
}  // namespace pocketid::image
