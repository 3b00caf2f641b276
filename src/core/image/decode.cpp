#include <string>

#include "core/image/codecs.h"
#include "core/image/image.h"
#include "core/image/transform.h"

namespace pocketid::image {

namespace internal {

Status CheckDimensions(uint64_t width, uint64_t height, uint64_t max_pixels) {
  if (width == 0 || height == 0) return InvalidArgumentError("image has no pixels");
  // Each factor is checked first so the product cannot overflow.
  if (width > max_pixels || height > max_pixels || width * height > max_pixels) {
    return InvalidArgumentError("image is too large: " + std::to_string(width) + "x" + std::to_string(height) +
                                " exceeds " + std::to_string(max_pixels) + " pixels");
  }
  return Status::Ok();
}

RgbaImage Allocate(int width, int height) {
  RgbaImage img;
  img.width = width;
  img.height = height;
  img.pixels.assign(static_cast<size_t>(width) * static_cast<size_t>(height) * 4, 0);
  return img;
}

}  // namespace internal

Format DetectFormat(std::string_view data) {
  if (data.starts_with("\x89PNG\r\n\x1a\n")) return Format::kPng;
  if (data.starts_with("\xff\xd8\xff")) return Format::kJpeg;
  if (data.starts_with("GIF87a") || data.starts_with("GIF89a")) return Format::kGif;
  if (data.size() >= 12 && data.starts_with("RIFF") && data.substr(8, 4) == "WEBP") return Format::kWebp;
  return Format::kUnknown;
}

StatusOr<RgbaImage> Decode(std::string_view data, uint64_t max_pixels, int min_side) {
  switch (DetectFormat(data)) {
    case Format::kPng:
      return internal::DecodePng(data, max_pixels);
    case Format::kJpeg: {
      PID_ASSIGN_OR_RETURN(RgbaImage img, internal::DecodeJpeg(data, max_pixels, min_side));
      return ApplyExifOrientation(std::move(img), JpegExifOrientation(data));
    }
    case Format::kWebp:
      return internal::DecodeWebp(data, max_pixels);
    case Format::kGif:
      return internal::DecodeGif(data, max_pixels);
    case Format::kUnknown:
      break;
  }
  return InvalidArgumentError("unsupported or unrecognised image format");
}

}  // namespace pocketid::image
