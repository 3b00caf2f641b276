// Test-only helpers for image_test: where the sample images live, and small pixel checks.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/image/image.h"

namespace pocketid::image::testing {

// The repository root: $PID_SOURCE_DIR (set by ctest through pid_test), else the configure-time path.
inline std::filesystem::path SourceDir() {
  if (const char* env = std::getenv("PID_SOURCE_DIR"); env != nullptr && *env != '\0') return env;
  return PID_SOURCE_DIR_FALLBACK;
}

// Small images made for these tests (see testdata/README.md).
inline std::filesystem::path TestData() { return SourceDir() / "src" / "core" / "image" / "testdata"; }

// The shared fixtures' images: $PID_FIXTURES_DIR/images, else ../shared/fixtures beside the repository.
inline std::filesystem::path Fixtures() {
  if (const char* env = std::getenv("PID_FIXTURES_DIR"); env != nullptr && *env != '\0') {
    return std::filesystem::path(env) / "images";
  }
  return SourceDir() / ".." / "shared" / "fixtures" / "images";
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Whether the pixel at (x, y) is within `tolerance` of the colour on every channel (lossy JPEG needs slack).
inline bool Near(const RgbaImage& img, int x, int y, int r, int g, int b, int tolerance = 0) {
  const uint8_t* p = img.At(x, y);
  return std::abs(p[0] - r) <= tolerance && std::abs(p[1] - g) <= tolerance && std::abs(p[2] - b) <= tolerance;
}

}  // namespace pocketid::image::testing
