// The two kinds of profile picture (management.md §1.1): an upload turned into a 300×300 PNG, and the generated
// initials avatar.
#pragma once

#include <string>
#include <string_view>

#include "core/status/status.h"

namespace pocketid::image {

inline constexpr int kProfilePictureSize = 300;

// Decodes an uploaded PNG/JPEG/WebP/GIF (type from its magic bytes; JPEG EXIF orientation applied), crops the
// centred square and resizes it to 300×300: the PNG bytes. kInvalidArgument when `upload` is not a usable image.
StatusOr<std::string> MakeProfilePicture(std::string_view upload);

// 300×300 PNG: `initials` in black, centred on white.
StatusOr<std::string> MakeInitialsPicture(std::string_view initials);

}  // namespace pocketid::image
