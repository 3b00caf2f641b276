#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <string>

#include "core/image/image.h"
#include "core/image/initials.h"
#include "core/image/profile_picture.h"
#include "core/image/test_util.h"
#include "core/image/transform.h"

namespace pocketid::image {
namespace {

using testing::Fixtures;
using testing::Near;
using testing::ReadFile;
using testing::TestData;

// The four quadrants every testdata image shows (upright 48×32): red, green / blue, yellow.
void ExpectQuadrants(const RgbaImage& img, int tolerance) {
  ASSERT_EQ(img.width, 48);
  ASSERT_EQ(img.height, 32);
  EXPECT_TRUE(Near(img, 5, 5, 255, 0, 0, tolerance)) << "top-left";
  EXPECT_TRUE(Near(img, 42, 5, 0, 255, 0, tolerance)) << "top-right";
  EXPECT_TRUE(Near(img, 5, 26, 0, 0, 255, tolerance)) << "bottom-left";
  EXPECT_TRUE(Near(img, 42, 26, 255, 255, 0, tolerance)) << "bottom-right";
}

// Width and height from a PNG's IHDR.
std::pair<uint32_t, uint32_t> PngSize(std::string_view png) {
  auto be32 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<unsigned char>(png[at])) << 24 |
           static_cast<uint32_t>(static_cast<unsigned char>(png[at + 1])) << 16 |
           static_cast<uint32_t>(static_cast<unsigned char>(png[at + 2])) << 8 |
           static_cast<uint32_t>(static_cast<unsigned char>(png[at + 3]));
  };
  EXPECT_GE(png.size(), 24u);
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  return {be32(16), be32(20)};
}

uint32_t Crc32(std::string_view data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (char ch : data) {
    crc ^= static_cast<unsigned char>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

std::string PngChunk(std::string_view type, std::string_view data) {
  std::string body = std::string(type) + std::string(data);
  return Be32(static_cast<uint32_t>(data.size())) + body + Be32(Crc32(body));
}

bool IsTooLarge(const Status& s) {
  return s.code() == StatusCode::kInvalidArgument && s.message().find("too large") != std::string::npos;
}

// ---- format detection and decoding ----

TEST(ImageDecodeTest, DetectsTheFormatFromMagicBytes) {
  EXPECT_EQ(DetectFormat(ReadFile(Fixtures() / "cloud-logo.png")), Format::kPng);
  EXPECT_EQ(DetectFormat(ReadFile(Fixtures() / "clouds.jpg")), Format::kJpeg);
  EXPECT_EQ(DetectFormat(ReadFile(TestData() / "quadrants.webp")), Format::kWebp);
  EXPECT_EQ(DetectFormat(ReadFile(TestData() / "quadrants.gif")), Format::kGif);
  EXPECT_EQ(DetectFormat(ReadFile(Fixtures() / "cloud-logo.svg")), Format::kUnknown);
  EXPECT_EQ(DetectFormat(ReadFile(Fixtures() / "w3-schools-favicon.ico")), Format::kUnknown);
  EXPECT_EQ(DetectFormat(""), Format::kUnknown);
  EXPECT_EQ(DetectFormat("RIFF\0\0\0\0WAVE"), Format::kUnknown);
}

TEST(ImageDecodeTest, DecodesEachFormat) {
  auto jpeg = Decode(ReadFile(TestData() / "quadrants.jpg"));
  ASSERT_TRUE(jpeg.ok()) << jpeg.status().message();
  ExpectQuadrants(*jpeg, 12);

  auto webp = Decode(ReadFile(TestData() / "quadrants.webp"));
  ASSERT_TRUE(webp.ok()) << webp.status().message();
  ExpectQuadrants(*webp, 0);

  for (const char* name : {"quadrants.gif", "quadrants-interlaced.gif"}) {
    auto gif = Decode(ReadFile(TestData() / name));
    ASSERT_TRUE(gif.ok()) << name << ": " << gif.status().message();
    ExpectQuadrants(*gif, 0);
  }

  const std::string png_bytes = ReadFile(Fixtures() / "cloud-logo.png");
  auto png = Decode(png_bytes);
  ASSERT_TRUE(png.ok()) << png.status().message();
  auto [w, h] = PngSize(png_bytes);
  EXPECT_EQ(png->width, static_cast<int>(w));
  EXPECT_EQ(png->height, static_cast<int>(h));

  auto photo = Decode(ReadFile(Fixtures() / "clouds.jpg"));
  ASSERT_TRUE(photo.ok()) << photo.status().message();
  EXPECT_GT(photo->width, 300);
  EXPECT_GT(photo->height, 300);
}

TEST(ImageDecodeTest, PngRoundTripKeepsPixelsAndAlpha) {
  RgbaImage img;
  img.width = 3;
  img.height = 2;
  img.pixels = {255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 255, 9, 8, 7, 255, 200, 100, 50, 255};
  auto png = EncodePng(img);
  ASSERT_TRUE(png.ok());
  auto back = Decode(*png);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->pixels, img.pixels);

  // Opaque images are written as RGB (colour type 2), others as RGBA (6).
  EXPECT_EQ(static_cast<unsigned char>((*png)[25]), 6);
  RgbaImage opaque = img;
  for (size_t i = 3; i < opaque.pixels.size(); i += 4) opaque.pixels[i] = 255;
  auto rgb = EncodePng(opaque);
  ASSERT_TRUE(rgb.ok());
  EXPECT_EQ(static_cast<unsigned char>((*rgb)[25]), 2);
  auto rgb_back = Decode(*rgb);
  ASSERT_TRUE(rgb_back.ok());
  EXPECT_EQ(rgb_back->pixels, opaque.pixels);

  EXPECT_FALSE(EncodePng(RgbaImage{}).ok());
}

TEST(ImageDecodeTest, ScaledJpegDecodeKeepsTheShorterSideAboveTheMinimum) {
  const std::string photo = ReadFile(Fixtures() / "clouds.jpg");
  auto full = Decode(photo);
  ASSERT_TRUE(full.ok());
  auto scaled = Decode(photo, kMaxPixels, 300);
  ASSERT_TRUE(scaled.ok());
  EXPECT_LE(scaled->width, full->width);
  EXPECT_GE(std::min(scaled->width, scaled->height), 300);
  if (std::min(full->width, full->height) >= 600) {
    EXPECT_LT(scaled->width, full->width);
  }
}

// ---- the pixel limit, checked from the header ----

TEST(ImageDecodeTest, RefusesImagesAboveThePixelLimitFromTheHeaderAlone) {
  // Each header claims far more than 25 MP but carries (almost) no pixel data: "too large" rather than a decoding
  // error proves the limit is checked before any pixels are read or allocated.
  std::string ihdr = Be32(20000) + Be32(20000) + std::string("\x08\x06\x00\x00\x00", 5);
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + PngChunk("IHDR", ihdr) + PngChunk("IDAT", "xx") +
                    PngChunk("IEND", "");
  EXPECT_TRUE(IsTooLarge(Decode(png).status())) << Decode(png).status().message();

  std::string gif = std::string("GIF89a\xff\xff\xff\xff\x00\x00\x00;", 14);
  EXPECT_TRUE(IsTooLarge(Decode(gif).status())) << Decode(gif).status().message();

  std::string jpeg = ReadFile(TestData() / "quadrants.jpg");
  size_t sof = jpeg.find("\xff\xc0");
  ASSERT_NE(sof, std::string::npos);
  // Height and width 20000 × 20000 (libjpeg itself refuses sides above 65500).
  const std::string side("\x4e\x20", 2);
  jpeg.replace(sof + 5, 4, side + side);
  EXPECT_TRUE(IsTooLarge(Decode(jpeg).status())) << Decode(jpeg).status().message();

  std::string webp = ReadFile(TestData() / "quadrants.webp");
  ASSERT_EQ(webp.substr(12, 4), "VP8L");
  ASSERT_EQ(static_cast<unsigned char>(webp[20]), 0x2f);
  // 14 bits width-1, 14 bits height-1 (little-endian bit order), then the alpha and version bits kept as they are.
  webp[21] = '\xff';
  webp[22] = '\xff';
  webp[23] = '\xff';
  webp[24] = static_cast<char>((static_cast<unsigned char>(webp[24]) & 0xF0) | 0x0F);
  EXPECT_TRUE(IsTooLarge(Decode(webp).status())) << Decode(webp).status().message();
}

TEST(ImageDecodeTest, HonoursACallerPixelLimitForEveryFormat) {
  for (auto path : {Fixtures() / "cloud-logo.png", Fixtures() / "clouds.jpg", TestData() / "quadrants.webp",
                    TestData() / "quadrants.gif"}) {
    const std::string data = ReadFile(path);
    EXPECT_TRUE(IsTooLarge(Decode(data, 48 * 32 - 1).status())) << path;
    EXPECT_TRUE(Decode(data, 48 * 32 * 10000).ok()) << path;
  }
  EXPECT_TRUE(Decode(ReadFile(TestData() / "quadrants.gif"), 48 * 32).ok());
}

TEST(ImageDecodeTest, RejectsEmptyUnknownAndZeroSizedImages) {
  for (std::string_view bad : {std::string_view(""), std::string_view("hello"),
                               std::string_view("\x89PNG\r\n\x1a\n", 8), std::string_view("\xff\xd8\xff"),
                               std::string_view("GIF89a"), std::string_view("RIFF\x04\0\0\0WEBP", 12)}) {
    auto r = Decode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
  // A 0×0 logical screen.
  EXPECT_FALSE(Decode(std::string("GIF89a\x00\x00\x00\x00\x00\x00\x00;", 14)).ok());
  // A 0-wide PNG.
  std::string ihdr = Be32(0) + Be32(10) + std::string("\x08\x06\x00\x00\x00", 5);
  EXPECT_FALSE(Decode(std::string("\x89PNG\r\n\x1a\n", 8) + PngChunk("IHDR", ihdr) + PngChunk("IEND", "")).ok());
  // An SVG is text, not a raster image we decode.
  EXPECT_FALSE(Decode(ReadFile(Fixtures() / "cloud-logo.svg")).ok());
}

// ---- EXIF orientation ----

TEST(ImageOrientationTest, ReadsTheExifOrientationOfARealJpeg) {
  const std::string rotated = ReadFile(TestData() / "quadrants-exif6.jpg");
  EXPECT_EQ(JpegExifOrientation(rotated), 6);
  EXPECT_EQ(JpegExifOrientation(ReadFile(TestData() / "quadrants.jpg")), 1);
  // Stored 32×48 and rotated; decoding turns it upright.
  auto img = Decode(rotated);
  ASSERT_TRUE(img.ok()) << img.status().message();
  ExpectQuadrants(*img, 12);
}

TEST(ImageOrientationTest, ParsesLittleEndianAndIgnoresMalformedSegments) {
  auto jpeg_with_app1 = [](std::string payload) {
    std::string seg = "\xff\xe1";
    seg += static_cast<char>((payload.size() + 2) >> 8);
    seg += static_cast<char>((payload.size() + 2) & 0xff);
    return std::string("\xff\xd8", 2) + seg + payload + std::string("\xff\xd9", 2);
  };
  const std::string exif("Exif\0\0", 6);
  // II, 42, IFD at 8, one entry: 0x0112 SHORT count 1 value 8.
  const std::string le("II\x2a\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x08\x00\x00\x00", 22);
  EXPECT_EQ(JpegExifOrientation(jpeg_with_app1(exif + le)), 8);
  // An XMP APP1 first is skipped.
  std::string xmp_then_exif = jpeg_with_app1("http://ns.adobe.com/xap/1.0/\0<x/>");
  xmp_then_exif.insert(xmp_then_exif.size() - 2, jpeg_with_app1(exif + le).substr(2, exif.size() + le.size() + 4));
  EXPECT_EQ(JpegExifOrientation(xmp_then_exif), 8);
  // Out-of-range value, wrong type, IFD offset past the end, truncated entry, bad byte order, lying length.
  std::string bad_value = le;
  bad_value[18] = 9;
  EXPECT_EQ(JpegExifOrientation(jpeg_with_app1(exif + bad_value)), 1);
  std::string bad_type = le;
  bad_type[12] = 4;
  EXPECT_EQ(JpegExifOrientation(jpeg_with_app1(exif + bad_type)), 1);
  std::string far_ifd = le;
  far_ifd[4] = '\x7f';
  EXPECT_EQ(JpegExifOrientation(jpeg_with_app1(exif + far_ifd)), 1);
  EXPECT_EQ(JpegExifOrientation(jpeg_with_app1(exif + le.substr(0, 16))), 1);
  std::string bad_order = le;
  bad_order[0] = 'X';
  EXPECT_EQ(JpegExifOrientation(jpeg_with_app1(exif + bad_order)), 1);
  std::string lying = jpeg_with_app1(exif + le);
  lying[4] = '\x7f';
  EXPECT_EQ(JpegExifOrientation(lying), 1);
  EXPECT_EQ(JpegExifOrientation(""), 1);
  EXPECT_EQ(JpegExifOrientation("\xff\xd8"), 1);
}

// A 3×2 image whose pixels are numbered 0..5 in the red channel.
RgbaImage Numbered() {
  RgbaImage img;
  img.width = 3;
  img.height = 2;
  for (uint8_t i = 0; i < 6; ++i) img.pixels.insert(img.pixels.end(), {i, 0, 0, 255});
  return img;
}

std::vector<int> Reds(const RgbaImage& img) {
  std::vector<int> out;
  for (size_t i = 0; i < img.pixels.size(); i += 4) out.push_back(img.pixels[i]);
  return out;
}

TEST(ImageOrientationTest, AppliesAllEightTransforms) {
  // Stored:  0 1 2
  //          3 4 5
  struct Case {
    int orientation, width, height;
    std::vector<int> upright;
  };
  const Case cases[] = {
      {1, 3, 2, {0, 1, 2, 3, 4, 5}},
      {2, 3, 2, {2, 1, 0, 5, 4, 3}},  // mirror
      {3, 3, 2, {5, 4, 3, 2, 1, 0}},  // rotate 180°
      {4, 3, 2, {3, 4, 5, 0, 1, 2}},  // flip
      {5, 2, 3, {0, 3, 1, 4, 2, 5}},  // transpose
      {6, 2, 3, {3, 0, 4, 1, 5, 2}},  // rotate 90° clockwise
      {7, 2, 3, {5, 2, 4, 1, 3, 0}},  // transverse
      {8, 2, 3, {2, 5, 1, 4, 0, 3}},  // rotate 90° counter-clockwise
  };
  for (const Case& c : cases) {
    RgbaImage out = ApplyExifOrientation(Numbered(), c.orientation);
    EXPECT_EQ(out.width, c.width) << c.orientation;
    EXPECT_EQ(out.height, c.height) << c.orientation;
    EXPECT_EQ(Reds(out), c.upright) << "orientation " << c.orientation;
  }
  EXPECT_EQ(Reds(ApplyExifOrientation(Numbered(), 0)), Reds(Numbered()));
  EXPECT_EQ(Reds(ApplyExifOrientation(Numbered(), 9)), Reds(Numbered()));
}

// ---- crop and resize ----

TEST(ImageResizeTest, CropsTheCentredSquareAndResizes) {
  // 90×30: red | green | blue thirds; the centred 30×30 square is all green.
  RgbaImage wide;
  wide.width = 90;
  wide.height = 30;
  for (int y = 0; y < 30; ++y) {
    for (int x = 0; x < 90; ++x) {
      wide.pixels.insert(wide.pixels.end(), {uint8_t(x < 30 ? 255 : 0), uint8_t(x >= 30 && x < 60 ? 255 : 0),
                                             uint8_t(x >= 60 ? 255 : 0), 255});
    }
  }
  auto square = CenterSquare(wide, 300);
  ASSERT_TRUE(square.ok());
  ASSERT_EQ(square->width, 300);
  ASSERT_EQ(square->height, 300);
  for (int y : {0, 150, 299}) {
    for (int x : {0, 150, 299}) EXPECT_TRUE(Near(*square, x, y, 0, 255, 0, 1)) << x << "," << y;
  }

  // Tall images keep their middle too, and shrinking works as well as enlarging.
  auto tall = CenterSquare(ApplyExifOrientation(wide, 6), 10);
  ASSERT_TRUE(tall.ok());
  EXPECT_EQ(tall->width, 10);
  EXPECT_TRUE(Near(*tall, 5, 5, 0, 255, 0, 1));

  EXPECT_FALSE(CenterSquare(RgbaImage{}, 300).ok());
  EXPECT_FALSE(CenterSquare(wide, 0).ok());
}

TEST(ImageResizeTest, MakesA300SquarePngFromEveryFormat) {
  for (auto path : {Fixtures() / "cloud-logo.png", Fixtures() / "pingvin-share-logo.png", Fixtures() / "clouds.jpg",
                    TestData() / "quadrants.webp", TestData() / "quadrants.gif", TestData() / "quadrants-exif6.jpg"}) {
    auto png = MakeProfilePicture(ReadFile(path));
    ASSERT_TRUE(png.ok()) << path << ": " << png.status().message();
    EXPECT_EQ(DetectFormat(*png), Format::kPng);
    EXPECT_EQ(PngSize(*png), std::make_pair(300u, 300u)) << path;
  }
  // The rotated JPEG's centred square is its middle 32×32: left half red/blue, right half green/yellow.
  auto upright = Decode(*MakeProfilePicture(ReadFile(TestData() / "quadrants-exif6.jpg")));
  ASSERT_TRUE(upright.ok());
  EXPECT_TRUE(Near(*upright, 20, 20, 255, 0, 0, 16));
  EXPECT_TRUE(Near(*upright, 280, 20, 0, 255, 0, 16));
  EXPECT_TRUE(Near(*upright, 20, 280, 0, 0, 255, 16));
  EXPECT_TRUE(Near(*upright, 280, 280, 255, 255, 0, 16));

  auto bad = MakeProfilePicture("not an image");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

// ---- initials ----

struct Ink {
  int min_x = INT_MAX, min_y = INT_MAX, max_x = INT_MIN, max_y = INT_MIN;
  int dark_pixels = 0;
};

Ink InkOf(const RgbaImage& img) {
  Ink ink;
  for (int y = 0; y < img.height; ++y) {
    for (int x = 0; x < img.width; ++x) {
      const uint8_t* p = img.At(x, y);
      EXPECT_TRUE(p[0] == p[1] && p[1] == p[2] && p[3] == 255) << "grey and opaque at " << x << "," << y;
      if (p[0] < 128) {
        ++ink.dark_pixels;
        ink.min_x = std::min(ink.min_x, x);
        ink.max_x = std::max(ink.max_x, x);
        ink.min_y = std::min(ink.min_y, y);
        ink.max_y = std::max(ink.max_y, y);
      }
    }
  }
  return ink;
}

TEST(ImageInitialsTest, DrawsBlackInitialsCentredOnWhite) {
  auto img = RenderInitials("TC", 300);
  ASSERT_TRUE(img.ok()) << img.status().message();
  ASSERT_EQ(img->width, 300);
  ASSERT_EQ(img->height, 300);
  Ink ink = InkOf(*img);
  EXPECT_GT(ink.dark_pixels, 3000);
  EXPECT_TRUE(Near(*img, 0, 0, 255, 255, 255));
  EXPECT_TRUE(Near(*img, 299, 299, 255, 255, 255));
  // Centred: equal white space left/right and above/below, within rounding and anti-aliasing.
  EXPECT_NEAR(ink.min_x, 299 - ink.max_x, 3);
  EXPECT_NEAR(ink.min_y, 299 - ink.max_y, 3);
  // Letters of a 160 px font: about 110 px tall capitals.
  EXPECT_GT(ink.max_y - ink.min_y, 90);
  EXPECT_LT(ink.max_y - ink.min_y, 140);
}

TEST(ImageInitialsTest, ShrinksWideTextAndHandlesUnicodeAndEmpty) {
  auto wide = RenderInitials("WW", 300);
  ASSERT_TRUE(wide.ok());
  Ink ink = InkOf(*wide);
  EXPECT_GT(ink.dark_pixels, 1000);
  EXPECT_GE(ink.min_x, 10);
  EXPECT_LE(ink.max_x, 289);

  auto accented = RenderInitials("ÉÖ", 300);
  ASSERT_TRUE(accented.ok());
  EXPECT_GT(InkOf(*accented).dark_pixels, 1000);

  // Malformed UTF-8 is drawn as U+FFFD, not refused.
  auto malformed = RenderInitials("\xff\xc3", 300);
  ASSERT_TRUE(malformed.ok());

  auto empty = RenderInitials("", 300);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(InkOf(*empty).dark_pixels, 0);
}

TEST(ImageInitialsTest, MakesA300SquareOpaquePng) {
  auto png = MakeInitialsPicture("AB");
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(PngSize(*png), std::make_pair(300u, 300u));
  EXPECT_EQ(static_cast<unsigned char>((*png)[25]), 2);  // RGB
  EXPECT_LT(png->size(), 20000u);
}

}  // namespace
}  // namespace pocketid::image
