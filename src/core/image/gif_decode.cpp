// GIF through giflib's record-by-record reader (errors are return values): only the first frame is decoded, drawn
// at its offset on a transparent canvas of the logical screen size. Later frames are never read.
#include <gif_lib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/image/codecs.h"

namespace pocketid::image::internal {

namespace {

struct MemorySource {
  const GifByteType* data;
  size_t size;
  size_t pos;
};

int ReadFromMemory(GifFileType* gif, GifByteType* out, int wanted) {
  auto* src = static_cast<MemorySource*>(gif->UserData);
  const size_t n = std::min(static_cast<size_t>(std::max(wanted, 0)), src->size - src->pos);
  std::memcpy(out, src->data + src->pos, n);
  src->pos += n;
  return static_cast<int>(n);
}

struct GifCloser {
  void operator()(GifFileType* gif) const {
    int error = 0;
    DGifCloseFile(gif, &error);
  }
};
using GifFile = std::unique_ptr<GifFileType, GifCloser>;

Status GifError(std::string_view what, int code) {
  const char* reason = GifErrorString(code);
  return InvalidArgumentError("invalid GIF: " + std::string(what) + (reason ? std::string(": ") + reason : ""));
}

// The transparent palette index a Graphics Control Extension declares; `transparent` unchanged otherwise.
Status ReadExtension(GifFileType* gif, int& transparent) {
  int code = 0;
  GifByteType* block = nullptr;
  if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) return GifError("extension", gif->Error);
  if (code == GRAPHICS_EXT_FUNC_CODE && block != nullptr && block[0] >= 4) {
    GraphicsControlBlock gcb;
    if (DGifExtensionToGCB(block[0], block + 1, &gcb) == GIF_OK) transparent = gcb.TransparentColor;
  }
  while (block != nullptr) {
    if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) return GifError("extension", gif->Error);
  }
  return Status::Ok();
}

StatusOr<RgbaImage> ReadFrame(GifFileType* gif, int transparent) {
  if (DGifGetImageDesc(gif) == GIF_ERROR) return GifError("image descriptor", gif->Error);
  const GifImageDesc& frame = gif->Image;
  if (frame.Width <= 0 || frame.Height <= 0 || frame.Left < 0 || frame.Top < 0 ||
      frame.Left + frame.Width > gif->SWidth || frame.Top + frame.Height > gif->SHeight) {
    return InvalidArgumentError("invalid GIF: frame outside the image");
  }
  const ColorMapObject* palette = frame.ColorMap != nullptr ? frame.ColorMap : gif->SColorMap;
  if (palette == nullptr || palette->Colors == nullptr) return InvalidArgumentError("invalid GIF: no colour table");

  RgbaImage img = Allocate(gif->SWidth, gif->SHeight);
  std::vector<GifPixelType> line(static_cast<size_t>(frame.Width));
  // Interlaced frames arrive in four passes over every 8th/8th/4th/2nd row.
  static constexpr int kInterlacedStart[] = {0, 4, 2, 1};
  static constexpr int kInterlacedStep[] = {8, 8, 4, 2};
  const int passes = frame.Interlace ? 4 : 1;
  for (int pass = 0; pass < passes; ++pass) {
    const int start = frame.Interlace ? kInterlacedStart[pass] : 0;
    const int step = frame.Interlace ? kInterlacedStep[pass] : 1;
    for (int row = start; row < frame.Height; row += step) {
      if (DGifGetLine(gif, line.data(), frame.Width) == GIF_ERROR) return GifError("pixel data", gif->Error);
      for (int x = 0; x < frame.Width; ++x) {
        const int index = line[static_cast<size_t>(x)];
        if (index == transparent) continue;
        if (index >= palette->ColorCount) return InvalidArgumentError("invalid GIF: colour index out of range");
        const GifColorType& c = palette->Colors[index];
        uint8_t* px = img.At(frame.Left + x, frame.Top + row);
        px[0] = c.Red, px[1] = c.Green, px[2] = c.Blue, px[3] = 255;
      }
    }
  }
  return img;
}

}  // namespace

StatusOr<RgbaImage> DecodeGif(std::string_view data, uint64_t max_pixels) {
  MemorySource src{reinterpret_cast<const GifByteType*>(data.data()), data.size(), 0};
  int error = 0;
  GifFile gif(DGifOpen(&src, ReadFromMemory, &error));
  if (!gif) return GifError("header", error);
  PID_RETURN_IF_ERROR(CheckDimensions(static_cast<uint64_t>(std::max(gif->SWidth, 0)),
                                      static_cast<uint64_t>(std::max(gif->SHeight, 0)), max_pixels));
  int transparent = NO_TRANSPARENT_COLOR;
  while (true) {
    GifRecordType type;
    if (DGifGetRecordType(gif.get(), &type) == GIF_ERROR) return GifError("record", gif->Error);
    switch (type) {
      case IMAGE_DESC_RECORD_TYPE:
        return ReadFrame(gif.get(), transparent);
      case EXTENSION_RECORD_TYPE:
        PID_RETURN_IF_ERROR(ReadExtension(gif.get(), transparent));
        break;
      case TERMINATE_RECORD_TYPE:
        return InvalidArgumentError("invalid GIF: no image");
      default:
        return InvalidArgumentError("invalid GIF: unknown record");
    }
  }
}

}  // namespace pocketid::image::internal
