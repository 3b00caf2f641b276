// WebP through libwebp's one-shot decoder (no callbacks, errors are return values). Animated WebP is refused, as
// Pocket ID's decoder does.
#include <webp/decode.h>

#include <algorithm>
#include <string>

#include "core/image/codecs.h"

namespace pocketid::image::internal {

StatusOr<RgbaImage> DecodeWebp(std::string_view data, uint64_t max_pixels) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
  WebPBitstreamFeatures features;
  if (WebPGetFeatures(bytes, data.size(), &features) != VP8_STATUS_OK) {
    return InvalidArgumentError("invalid WebP header");
  }
  if (features.has_animation) return InvalidArgumentError("animated WebP is not supported");
  PID_RETURN_IF_ERROR(CheckDimensions(static_cast<uint64_t>(std::max(features.width, 0)),
                                      static_cast<uint64_t>(std::max(features.height, 0)), max_pixels));
  RgbaImage img = Allocate(features.width, features.height);
  if (WebPDecodeRGBAInto(bytes, data.size(), img.pixels.data(), img.pixels.size(), img.width * 4) == nullptr) {
    return InvalidArgumentError("invalid WebP data");
  }
  return img;
}

}  // namespace pocketid::image::internal
