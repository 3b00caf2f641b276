#include "core/image/profile_picture.h"

#include "core/image/image.h"
#include "core/image/initials.h"
#include "core/image/transform.h"

namespace pocketid::image {

StatusOr<std::string> MakeProfilePicture(std::string_view upload) {
  // Decoding at no less than twice the target size keeps the downscale sharp while letting big JPEG photos decode
  // at a fraction of their size.
  PID_ASSIGN_OR_RETURN(RgbaImage decoded, Decode(upload, kMaxPixels, 2 * kProfilePictureSize));
  PID_ASSIGN_OR_RETURN(RgbaImage square, CenterSquare(decoded, kProfilePictureSize));
  return EncodePng(square);
}

StatusOr<std::string> MakeInitialsPicture(std::string_view initials) {
  PID_ASSIGN_OR_RETURN(RgbaImage img, RenderInitials(initials, kProfilePictureSize));
  return EncodePng(img);
}

}  // namespace pocketid::image
