// Geometry for profile pictures: EXIF orientation, and the centre-cropped square thumbnail.
#pragma once

#include <string_view>

#include "core/image/image.h"

namespace pocketid::image {

// The EXIF orientation (1–8) a JPEG's APP1 "Exif" segment records in IFD0 (tag 0x0112); 1 when the data is not
// a JPEG, has no Exif segment, or the segment is malformed.
int JpegExifOrientation(std::string_view jpeg);

// `img` turned upright: the inverse of the EXIF orientation transform (2 mirror, 3 rotate 180°, 4 flip,
// 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise). Other values: unchanged.
RgbaImage ApplyExifOrientation(RgbaImage img, int orientation);

// The largest centred square of `img`, resized to size × size with a Catmull-Rom filter (sharp, close to the
// Lanczos filter Pocket ID uses) in linear light. kInvalidArgument for an empty image or size < 1.
StatusOr<RgbaImage> CenterSquare(const RgbaImage& img, int size);

}  // namespace pocketid::image
