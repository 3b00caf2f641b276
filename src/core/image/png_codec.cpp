// PNG through libpng's "simplified" API: it catches libpng's longjmp internally and reports failures as return
// values with image.message, so no setjmp is needed here.
#include <png.h>

#include <string>

#include "core/image/codecs.h"
#include "core/image/image.h"

namespace pocketid::image {

namespace {

// Frees libpng's read/write state on every path (png_image_free is a no-op once already freed).
struct PngImage {
  png_image image{};
  PngImage() { image.version = PNG_IMAGE_VERSION; }
  ~PngImage() { png_image_free(&image); }
  PngImage(const PngImage&) = delete;
  PngImage& operator=(const PngImage&) = delete;
};

Status PngError(std::string_view what, const png_image& image) {
  return InvalidArgumentError(std::string(what) + ": " + image.message);
}

bool IsOpaque(const RgbaImage& img) {
  for (size_t i = 3; i < img.pixels.size(); i += 4) {
    if (img.pixels[i] != 255) return false;
  }
  return true;
}

}  // namespace

namespace internal {

StatusOr<RgbaImage> DecodePng(std::string_view data, uint64_t max_pixels) {
  PngImage png;
  if (!png_image_begin_read_from_memory(&png.image, data.data(), data.size())) {
    return PngError("invalid PNG", png.image);
  }
  PID_RETURN_IF_ERROR(CheckDimensions(png.image.width, png.image.height, max_pixels));
  png.image.format = PNG_FORMAT_RGBA;
  RgbaImage img = Allocate(static_cast<int>(png.image.width), static_cast<int>(png.image.height));
  if (!png_image_finish_read(&png.image, nullptr, img.pixels.data(), static_cast<png_int_32>(img.width * 4),
                             nullptr)) {
    return PngError("invalid PNG", png.image);
  }
  return img;
}

}  // namespace internal

StatusOr<std::string> EncodePng(const RgbaImage& img) {
  if (img.width <= 0 || img.height <= 0 ||
      img.pixels.size() != static_cast<size_t>(img.width) * static_cast<size_t>(img.height) * 4) {
    return InvalidArgumentError("cannot encode an empty or inconsistent image");
  }
  // Opaque images are written as RGB, as Go's encoder does: a quarter smaller.
  const bool opaque = IsOpaque(img);
  std::vector<uint8_t> rgb;
  const void* buffer = img.pixels.data();
  int channels = 4;
  if (opaque) {
    channels = 3;
    rgb.reserve(img.pixels.size() / 4 * 3);
    for (size_t i = 0; i < img.pixels.size(); i += 4) rgb.insert(rgb.end(), &img.pixels[i], &img.pixels[i] + 3);
    buffer = rgb.data();
  }

  PngImage png;
  png.image.width = static_cast<png_uint_32>(img.width);
  png.image.height = static_cast<png_uint_32>(img.height);
  png.image.format = opaque ? PNG_FORMAT_RGB : PNG_FORMAT_RGBA;
  const auto stride = static_cast<png_int_32>(img.width * channels);
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&png.image, nullptr, &size, 0, buffer, stride, nullptr)) {
    return InternalError(std::string("PNG encoding failed: ") + png.image.message);
  }
  std::string out(size, '\0');
  if (!png_image_write_to_memory(&png.image, out.data(), &size, 0, buffer, stride, nullptr)) {
    return InternalError(std::string("PNG encoding failed: ") + png.image.message);
  }
  out.resize(size);
  return out;
}

}  // namespace pocketid::image
