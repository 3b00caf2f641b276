// Client logos (management.md §1.5, §8): the image types Pocket ID accepts, where a logo is stored
// (`oidc-client-images/<clientId>[-dark].<ext>`, `cimd-<sha256hex>` for URL client ids), removal of metadata
// before storing. Files are kept in storage/file_storage.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status/status.h"

namespace pocketid::oidcclients {

inline constexpr size_t kMaxLogoBytes = 2 * 1024 * 1024;

// Go's filepath.Ext without the dot, or the whole name when it has no dot (Pocket ID's GetFileExtension).
std::string FileExtension(std::string_view filename);

// "image/png" for "png", ... ; "" for an extension Pocket ID does not accept (jpg jpeg png svg ico gif webp avif
// heic are accepted, lower case only).
std::string_view ImageMimeType(std::string_view ext);

// The extension for a response Content-Type (parameters ignored); "" when it is not a supported image type.
std::string_view ImageExtensionFromMimeType(std::string_view content_type);

// The storage path of a client's logo: `oidc-client-images/<id>[-dark].<ext>`.
std::string LogoPath(std::string_view client_id, bool light, std::string_view ext);

// Removes EXIF/XMP metadata from JPEG, PNG and WebP images (location and camera data a photo may carry); other
// types and images that do not parse are returned unchanged, as Pocket ID does.
std::string StripImageMetadata(std::string data, std::string_view ext);

}  // namespace pocketid::oidcclients
