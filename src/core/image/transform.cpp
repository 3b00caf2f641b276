#include "core/image/transform.h"

#include <algorithm>
#include <cstring>

#include "core/image/codecs.h"
#include "core/image/stb_resize.h"

namespace pocketid::image {

namespace {

// Bounds-checked reads from a TIFF block in its declared byte order.
class TiffReader {
 public:
  TiffReader(std::string_view data, bool little_endian) : data_(data), little_(little_endian) {}
  bool Has(size_t pos, size_t n) const { return pos <= data_.size() && n <= data_.size() - pos; }
  uint16_t U16(size_t pos) const {
    auto b = [&](size_t i) { return static_cast<uint16_t>(static_cast<unsigned char>(data_[pos + i])); };
    return little_ ? static_cast<uint16_t>(b(0) | b(1) << 8) : static_cast<uint16_t>(b(0) << 8 | b(1));
  }
  uint32_t U32(size_t pos) const {
    return little_ ? (U16(pos) | static_cast<uint32_t>(U16(pos + 2)) << 16)
                   : (static_cast<uint32_t>(U16(pos)) << 16 | U16(pos + 2));
  }

 private:
  std::string_view data_;
  bool little_;
};

constexpr uint16_t kOrientationTag = 0x0112;
constexpr uint16_t kTiffShort = 3;

// The orientation in IFD0 of an Exif TIFF block ("II*\0" or "MM\0*" header), 1 when absent or malformed.
int TiffOrientation(std::string_view tiff) {
  if (tiff.size() < 8) return 1;
  bool little;
  if (tiff.starts_with("II")) {
    little = true;
  } else if (tiff.starts_with("MM")) {
    little = false;
  } else {
    return 1;
  }
  TiffReader r(tiff, little);
  if (r.U16(2) != 42) return 1;
  const size_t ifd = r.U32(4);
  if (!r.Has(ifd, 2)) return 1;
  const uint16_t count = r.U16(ifd);
  for (size_t i = 0; i < count; ++i) {
    const size_t entry = ifd + 2 + 12 * i;
    if (!r.Has(entry, 12)) return 1;
    if (r.U16(entry) != kOrientationTag) continue;
    if (r.U16(entry + 2) != kTiffShort) return 1;
    const uint16_t value = r.U16(entry + 8);  // a SHORT value sits left-justified in the value field
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

uint8_t Byte(std::string_view s, size_t i) { return static_cast<uint8_t>(s[i]); }

}  // namespace

int JpegExifOrientation(std::string_view jpeg) {
  if (!jpeg.starts_with("\xff\xd8")) return 1;
  size_t pos = 2;
  // Walks the marker segments up to the first scan; metadata never follows it.
  while (pos + 4 <= jpeg.size()) {
    if (Byte(jpeg, pos) != 0xFF) return 1;
    const uint8_t marker = Byte(jpeg, pos + 1);
    if (marker == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) return 1;  // EOI, SOS
    if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {  // standalone markers carry no length
      pos += 2;
      continue;
    }
    const size_t length = static_cast<size_t>(Byte(jpeg, pos + 2)) << 8 | Byte(jpeg, pos + 3);
    if (length < 2 || length > jpeg.size() - pos - 2) return 1;
    const std::string_view payload = jpeg.substr(pos + 4, length - 2);
    if (marker == 0xE1 && payload.starts_with(std::string_view("Exif\0\0", 6))) {
      return TiffOrientation(payload.substr(6));
    }
    pos += 2 + length;
  }
  return 1;
}

RgbaImage ApplyExifOrientation(RgbaImage img, int orientation) {
  if (orientation < 2 || orientation > 8) return img;
  const int w = img.width;
  const int h = img.height;
  const bool swaps = orientation >= 5;
  RgbaImage out = internal::Allocate(swaps ? h : w, swaps ? w : h);
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      int sx = x, sy = y;
      switch (orientation) {
        case 2: sx = w - 1 - x; break;                          // mirrored
        case 3: sx = w - 1 - x, sy = h - 1 - y; break;          // rotated 180°
        case 4: sy = h - 1 - y; break;                          // flipped
        case 5: sx = y, sy = x; break;                          // transposed
        case 6: sx = y, sy = h - 1 - x; break;                  // needs 90° clockwise
        case 7: sx = w - 1 - y, sy = h - 1 - x; break;          // transversed
        case 8: sx = w - 1 - y, sy = x; break;                  // needs 90° counter-clockwise
      }
      std::memcpy(out.At(x, y), img.At(sx, sy), 4);
    }
  }
  return out;
}

StatusOr<RgbaImage> CenterSquare(const RgbaImage& img, int size) {
  if (img.width <= 0 || img.height <= 0 || size < 1) return InvalidArgumentError("nothing to resize");
  const int side = std::min(img.width, img.height);
  const int left = (img.width - side) / 2;
  const int top = (img.height - side) / 2;
  RgbaImage out = internal::Allocate(size, size);
  // The crop is only a pointer offset: the resizer reads the square through the full image's row stride.
  if (!internal::ResizeRgba(img.At(left, top), side, side, img.width * 4, out.pixels.data(), size, size)) {
    return InternalError("image resize failed");
  }
  return out;
}

}  // namespace pocketid::image
