// The one place that includes stb_image_resize (internal to pid_image).
#pragma once

#include <cstdint>

namespace pocketid::image::internal {

// Resizes 8-bit RGBA (not premultiplied; alpha-weighted while filtering) with a Catmull-Rom filter in linear
// light. False when stb cannot allocate its scratch memory.
bool ResizeRgba(const uint8_t* in, int in_w, int in_h, int in_stride, uint8_t* out, int out_w, int out_h);

}  // namespace pocketid::image::internal
