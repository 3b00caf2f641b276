// The per-format decoders behind image::Decode (internal to pid_image). Each checks the pixel count from the
// header before allocating pixels and reports every failure as kInvalidArgument.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/image/image.h"

namespace pocketid::image::internal {

StatusOr<RgbaImage> DecodePng(std::string_view data, uint64_t max_pixels);
// As stored (no EXIF rotation); possibly at 1/2, 1/4 or 1/8 scale while the shorter side stays ≥ min_side.
StatusOr<RgbaImage> DecodeJpeg(std::string_view data, uint64_t max_pixels, int min_side);
StatusOr<RgbaImage> DecodeWebp(std::string_view data, uint64_t max_pixels);
StatusOr<RgbaImage> DecodeGif(std::string_view data, uint64_t max_pixels);

// Rejects empty and oversized dimensions with the message the decoders share.
Status CheckDimensions(uint64_t width, uint64_t height, uint64_t max_pixels);

// A fresh, zeroed (transparent) image; call only after CheckDimensions.
RgbaImage Allocate(int width, int height);

}  // namespace pocketid::image::internal
