#include "core/image/stb_resize.h"

// stb is third-party code: its own warnings are not ours to fix.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_STATIC
#include <stb/stb_image_resize.h>
#pragma GCC diagnostic pop

namespace pocketid::image::internal {

bool ResizeRgba(const uint8_t* in, int in_w, int in_h, int in_stride, uint8_t* out, int out_w, int out_h) {
  constexpr int kAlphaChannel = 3;
  return stbir_resize(in, in_w, in_h, in_stride, out, out_w, out_h, out_w * 4, STBIR_TYPE_UINT8, 4, kAlphaChannel,
                      0, STBIR_EDGE_CLAMP, STBIR_EDGE_CLAMP, STBIR_FILTER_CATMULLROM, STBIR_FILTER_CATMULLROM,
                      STBIR_COLORSPACE_SRGB, nullptr) != 0;
}

}  // namespace pocketid::image::internal
