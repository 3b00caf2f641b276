// Generated avatars: initials in black on white (Pocket ID draws them in its bundled Gloock font at 160 px; we
// embed DejaVu Serif Bold from Debian's fonts-dejavu-core at build time, the nearest freely available serif).
#pragma once

#include <string_view>

#include "core/image/image.h"

namespace pocketid::image {

inline constexpr int kInitialsFontPixels = 160;

// A size × size opaque white image with `text` (UTF-8; invalid bytes read as U+FFFD) in black, its ink centred
// both ways. Text wider than the image minus a margin is drawn smaller so it is never clipped. Empty text gives
// a blank white image.
StatusOr<RgbaImage> RenderInitials(std::string_view text, int size);

}  // namespace pocketid::image
