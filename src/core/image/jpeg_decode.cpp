// JPEG through the classic libjpeg API of libjpeg-turbo (Debian ships no TurboJPEG library). libjpeg reports
// fatal errors by calling error_exit, which must not return: ours longjmps back to the setjmp in the small wrapper
// function that made the libjpeg call. Those wrappers hold only plain C state (the JpegReader below) and no C++
// objects with destructors, so the jump skips nothing that needs unwinding.
#include <csetjmp>
#include <cstdio>
#include <cstring>

#include <jerror.h>
#include <jpeglib.h>

#include <algorithm>
#include <memory>
#include <string>

#include "core/image/codecs.h"

namespace pocketid::image::internal {

namespace {

// As TurboJPEG's TJFLAG_LIMITSCANS: a progressive file may carry thousands of tiny scans, each costing a pass over
// the whole coefficient buffer — a known way to make a small file take minutes to decode.
constexpr int kMaxJpegScans = 500;

// All libjpeg state for one decode: plain C structs, owned by the C++ JpegDecoder below.
struct JpegReader {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr err;
  jpeg_progress_mgr progress;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  bool created;
};

[[noreturn]] void Fail(JpegReader* r, const char* text) {
  std::snprintf(r->message, sizeof r->message, "%s", text);
  std::longjmp(r->jump, 1);
}

[[noreturn]] void OnError(j_common_ptr cinfo) {
  auto* r = static_cast<JpegReader*>(cinfo->client_data);
  (*cinfo->err->format_message)(cinfo, r->message);
  std::longjmp(r->jump, 1);
}

// Warnings are tolerated (real cameras write "extraneous bytes" and the like), except a premature end of the data:
// libjpeg would pad a truncated file with grey, Go's decoder (and so Pocket ID) rejects it.
void OnMessage(j_common_ptr cinfo, int level) {
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) OnError(cinfo);
}

void OnOutput(j_common_ptr) {}  // libjpeg would print to stderr

void OnProgress(j_common_ptr cinfo) {
  auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
  if (d->input_scan_number > kMaxJpegScans) Fail(static_cast<JpegReader*>(cinfo->client_data), "too many scans");
}

// Each wrapper returns false after a libjpeg error (the reason is in r->message).
bool ReadHeader(JpegReader* r, const unsigned char* data, unsigned long size) {
  if (setjmp(r->jump)) return false;
  r->cinfo.err = jpeg_std_error(&r->err);
  r->err.error_exit = OnError;
  r->err.emit_message = OnMessage;
  r->err.output_message = OnOutput;
  r->cinfo.client_data = r;  // set first: jpeg_create_decompress keeps it, and may already fail
  jpeg_create_decompress(&r->cinfo);
  r->created = true;
  r->progress.progress_monitor = OnProgress;
  r->cinfo.progress = &r->progress;
  jpeg_mem_src(&r->cinfo, data, size);
  jpeg_read_header(&r->cinfo, TRUE);
  return true;
}

bool StartDecompress(JpegReader* r) {
  if (setjmp(r->jump)) return false;
  jpeg_start_decompress(&r->cinfo);
  return true;
}

bool ReadScanlines(JpegReader* r, unsigned char* out, size_t stride) {
  if (setjmp(r->jump)) return false;
  while (r->cinfo.output_scanline < r->cinfo.output_height) {
    JSAMPROW row = out + static_cast<size_t>(r->cinfo.output_scanline) * stride;
    jpeg_read_scanlines(&r->cinfo, &row, 1);
  }
  jpeg_finish_decompress(&r->cinfo);
  return true;
}

// Owns a JpegReader and destroys libjpeg's state on every path.
class JpegDecoder {
 public:
  JpegDecoder() : r_(std::make_unique<JpegReader>()) { std::memset(r_.get(), 0, sizeof(JpegReader)); }
  ~JpegDecoder() {
    if (r_->created) jpeg_destroy_decompress(&r_->cinfo);
  }
  JpegDecoder(const JpegDecoder&) = delete;
  JpegDecoder& operator=(const JpegDecoder&) = delete;

  JpegReader* get() { return r_.get(); }
  Status Error() const { return InvalidArgumentError(std::string("invalid JPEG: ") + r_->message); }

 private:
  std::unique_ptr<JpegReader> r_;
};

// 1/2, 1/4 or 1/8 scale (libjpeg scales in the DCT domain, nearly free) while the shorter side stays ≥ min_side.
unsigned int ScaleDenominator(unsigned int width, unsigned int height, int min_side) {
  if (min_side <= 0) return 1;
  const unsigned int shorter = std::min(width, height);
  unsigned int denom = 1;
  while (denom < 8 && shorter / (denom * 2) >= static_cast<unsigned int>(min_side)) denom *= 2;
  return denom;
}

// CMYK (and YCCK, which libjpeg turns into CMYK) to RGB; Adobe files store the inks inverted.
void CmykToRgba(RgbaImage& img, bool inverted) {
  for (size_t i = 0; i < img.pixels.size(); i += 4) {
    unsigned c = img.pixels[i], m = img.pixels[i + 1], y = img.pixels[i + 2], k = img.pixels[i + 3];
    if (!inverted) c = 255 - c, m = 255 - m, y = 255 - y, k = 255 - k;
    img.pixels[i] = static_cast<uint8_t>(c * k / 255);
    img.pixels[i + 1] = static_cast<uint8_t>(m * k / 255);
    img.pixels[i + 2] = static_cast<uint8_t>(y * k / 255);
    img.pixels[i + 3] = 255;
  }
}

}  // namespace

StatusOr<RgbaImage> DecodeJpeg(std::string_view data, uint64_t max_pixels, int min_side) {
  JpegDecoder decoder;
  JpegReader* r = decoder.get();
  if (!ReadHeader(r, reinterpret_cast<const unsigned char*>(data.data()), data.size())) return decoder.Error();
  PID_RETURN_IF_ERROR(CheckDimensions(r->cinfo.image_width, r->cinfo.image_height, max_pixels));

  const bool cmyk = r->cinfo.jpeg_color_space == JCS_CMYK || r->cinfo.jpeg_color_space == JCS_YCCK;
  r->cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_EXT_RGBA;
  r->cinfo.scale_num = 1;
  r->cinfo.scale_denom = ScaleDenominator(r->cinfo.image_width, r->cinfo.image_height, min_side);
  if (!StartDecompress(r)) return decoder.Error();
  if (r->cinfo.output_components != 4) return InvalidArgumentError("invalid JPEG: unexpected colour layout");

  RgbaImage img = Allocate(static_cast<int>(r->cinfo.output_width), static_cast<int>(r->cinfo.output_height));
  if (!ReadScanlines(r, img.pixels.data(), static_cast<size_t>(img.width) * 4)) return decoder.Error();
  if (cmyk) CmykToRgba(img, r->cinfo.saw_Adobe_marker);
  return img;
}

}  // namespace pocketid::image::internal
