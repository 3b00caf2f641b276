// Raster images for profile pictures (management.md §1.1): decoding PNG, JPEG, WebP and GIF uploads into RGBA,
// recognised by their magic bytes, never by a file name. Every malformed, truncated, empty or oversized input is
// a kInvalidArgument Status, never a crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status/status.h"

namespace pocketid::image {

// The largest image we decode: 25 megapixels (a 6000×4000 camera photo), about 100 MB as RGBA (JPEGs are decoded
// scaled down when they can be). Checked from the header, before any pixel memory is allocated, so a small file
// claiming huge dimensions cannot exhaust memory.
inline constexpr uint64_t kMaxPixels = 25'000'000;

// 8-bit RGBA, not premultiplied, rows top to bottom without padding.
struct RgbaImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height * 4 bytes

  const uint8_t* At(int x, int y) const { return &pixels[(static_cast<size_t>(y) * width + x) * 4]; }
  uint8_t* At(int x, int y) { return &pixels[(static_cast<size_t>(y) * width + x) * 4]; }
};

enum class Format { kUnknown, kPng, kJpeg, kWebp, kGif };

// The format the leading bytes announce.
Format DetectFormat(std::string_view data);

// Decodes `data` (GIF: its first frame; JPEG: turned upright by its EXIF orientation). kInvalidArgument when the
// format is unknown, the data is corrupt or truncated, or width × height exceeds `max_pixels`.
// `min_side` > 0 allows a cheaper, smaller decode (JPEG: DCT scaling by 1/2, 1/4 or 1/8) as long as the shorter
// side stays ≥ min_side; other formats ignore it.
StatusOr<RgbaImage> Decode(std::string_view data, uint64_t max_pixels = kMaxPixels, int min_side = 0);

// PNG bytes of `img` (RGB when every pixel is opaque, else RGBA).
StatusOr<std::string> EncodePng(const RgbaImage& img);

}  // namespace pocketid::image
