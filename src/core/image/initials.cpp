#include "core/image/initials.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <climits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "core/image/codecs.h"

namespace pocketid::image {

namespace internal {
extern const unsigned char kInitialsFont[];
extern const std::size_t kInitialsFontSize;
}  // namespace internal

namespace {

// Space kept free on each side when shrinking text that would not fit (avatars are often shown as circles).
constexpr int kMarginPixels = 30;

struct LibraryCloser {
  void operator()(FT_Library lib) const { FT_Done_FreeType(lib); }
};
struct FaceCloser {
  void operator()(FT_Face face) const { FT_Done_Face(face); }
};
using Library = std::unique_ptr<std::remove_pointer_t<FT_Library>, LibraryCloser>;
using Face = std::unique_ptr<std::remove_pointer_t<FT_Face>, FaceCloser>;

// One rendered glyph, placed relative to the pen start on the baseline (y grows downwards).
struct PlacedGlyph {
  int left = 0;
  int top = 0;
  int width = 0;
  int rows = 0;
  std::vector<uint8_t> coverage;  // width * rows
};

struct Layout {
  std::vector<PlacedGlyph> glyphs;
  int min_x = INT_MAX, min_y = INT_MAX, max_x = INT_MIN, max_y = INT_MIN;  // ink bounds
  bool HasInk() const { return min_x < max_x && min_y < max_y; }
};

// UTF-8 to code points; a malformed sequence yields U+FFFD and resynchronises on the next byte.
std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    int extra = b0 < 0x80 ? 0 : (b0 & 0xE0) == 0xC0 ? 1 : (b0 & 0xF0) == 0xE0 ? 2 : (b0 & 0xF8) == 0xF0 ? 3 : -1;
    char32_t cp = extra == 0 ? b0 : extra == 1 ? (b0 & 0x1F) : extra == 2 ? (b0 & 0x0F) : (b0 & 0x07);
    bool ok = extra >= 0 && i + extra < s.size();
    for (int k = 1; ok && k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      ok = (b & 0xC0) == 0x80;
      cp = cp << 6 | (b & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (!ok || cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += static_cast<size_t>(extra) + 1;
  }
  return out;
}

StatusOr<Layout> LayOut(FT_Face face, const std::vector<char32_t>& text, int pixels) {
  if (FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(pixels)) != 0) return InternalError("font size not supported");
  Layout layout;
  long pen = 0;  // 26.6 fixed point
  FT_UInt previous = 0;
  for (char32_t cp : text) {
    const FT_UInt index = FT_Get_Char_Index(face, cp);
    if (previous != 0 && FT_HAS_KERNING(face)) {
      FT_Vector kerning{};
      if (FT_Get_Kerning(face, previous, index, FT_KERNING_DEFAULT, &kerning) == 0) pen += kerning.x;
    }
    if (FT_Load_Glyph(face, index, FT_LOAD_RENDER) != 0) return InternalError("cannot render glyph");
    const FT_GlyphSlot slot = face->glyph;
    const FT_Bitmap& bm = slot->bitmap;
    if (bm.pixel_mode == FT_PIXEL_MODE_GRAY && bm.width > 0 && bm.rows > 0 &&
        bm.pitch >= static_cast<int>(bm.width)) {
      PlacedGlyph g;
      g.left = static_cast<int>(pen >> 6) + slot->bitmap_left;
      g.top = -slot->bitmap_top;
      g.width = static_cast<int>(bm.width);
      g.rows = static_cast<int>(bm.rows);
      g.coverage.resize(static_cast<size_t>(g.width) * g.rows);
      for (int r = 0; r < g.rows; ++r) {
        std::copy_n(bm.buffer + static_cast<size_t>(r) * bm.pitch, g.width,
                    &g.coverage[static_cast<size_t>(r) * g.width]);
      }
      layout.min_x = std::min(layout.min_x, g.left);
      layout.min_y = std::min(layout.min_y, g.top);
      layout.max_x = std::max(layout.max_x, g.left + g.width);
      layout.max_y = std::max(layout.max_y, g.top + g.rows);
      layout.glyphs.push_back(std::move(g));
    }
    pen += slot->advance.x;
    previous = index;
  }
  return layout;
}

// Black ink over the white image at (dx, dy); overlapping glyphs keep the darker value.
void Draw(const Layout& layout, int dx, int dy, RgbaImage& img) {
  for (const PlacedGlyph& g : layout.glyphs) {
    for (int r = 0; r < g.rows; ++r) {
      const int y = g.top + dy + r;
      if (y < 0 || y >= img.height) continue;
      for (int c = 0; c < g.width; ++c) {
        const int x = g.left + dx + c;
        if (x < 0 || x >= img.width) continue;
        uint8_t* px = img.At(x, y);
        const auto value = static_cast<uint8_t>(255 - g.coverage[static_cast<size_t>(r) * g.width + c]);
        if (value < px[0]) px[0] = px[1] = px[2] = value;
      }
    }
  }
}

}  // namespace

StatusOr<RgbaImage> RenderInitials(std::string_view text, int size) {
  if (size < 1 || size > 4096) return InvalidArgumentError("unsupported avatar size");
  RgbaImage img = internal::Allocate(size, size);
  std::fill(img.pixels.begin(), img.pixels.end(), uint8_t{255});
  const std::vector<char32_t> code_points = CodePoints(text);
  if (code_points.empty()) return img;

  FT_Library raw_library = nullptr;
  if (FT_Init_FreeType(&raw_library) != 0) return InternalError("FreeType initialisation failed");
  Library library(raw_library);
  FT_Face raw_face = nullptr;
  if (FT_New_Memory_Face(library.get(), internal::kInitialsFont, static_cast<FT_Long>(internal::kInitialsFontSize), 0,
                         &raw_face) != 0) {
    return InternalError("embedded font cannot be loaded");
  }
  Face face(raw_face);

  int pixels = kInitialsFontPixels * size / 300;
  PID_ASSIGN_OR_RETURN(Layout layout, LayOut(face.get(), code_points, pixels));
  const int room = size - 2 * kMarginPixels * size / 300;
  if (layout.HasInk() && layout.max_x - layout.min_x > room) {
    pixels = std::max(1, pixels * room / (layout.max_x - layout.min_x));
    PID_ASSIGN_OR_RETURN(layout, LayOut(face.get(), code_points, pixels));
  }
  if (!layout.HasInk()) return img;
  const int dx = (size - (layout.max_x - layout.min_x)) / 2 - layout.min_x;
  const int dy = (size - (layout.max_y - layout.min_y)) / 2 - layout.min_y;
  Draw(layout, dx, dy, img);
  return img;
}

}  // namespace pocketid::image
