#include "figure/font.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "gaussmap/errors.h"

namespace gaussmap::figure {
namespace {

// UTF-8 to code points; a malformed byte becomes U+FFFD.
std::vector<char32_t> decodeUtf8(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t k = 0; k < s.size();) {
    const auto c = static_cast<unsigned char>(s[k]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || k + std::size_t(extra) > s.size() - 1) {  // a bad lead byte, or cut short
      out.push_back(0xFFFD);
      ++k;
      continue;
    }
    char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    for (int e = 1; e <= extra; ++e) cp = (cp << 6) | (static_cast<unsigned char>(s[k + e]) & 0x3F);
    out.push_back(cp);
    k += std::size_t(extra) + 1;
  }
  return out;
}

}  // namespace

std::string figureFontPath() {
  const char* env = std::getenv("GAUSSMAP_FONT");
  return env && *env ? env : kDefaultFontPath;
}

struct Font::Impl {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
  double size = 0;

  void setSize(double s) {
    if (s == size) return;
    FT_Set_Char_Size(face, 0, FT_F26Dot6(std::lround(s * 64)), 72, 72);
    size = s;
  }
};

Font::Font(const std::string& path) : impl_(std::make_unique<Impl>()) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    const std::string hint = path == kDefaultFontPath
                                 ? " (Debian's fonts-dejavu-core package provides it: "
                                   "apt-get install fonts-dejavu-core)"
                                 : " (GAUSSMAP_FONT names it)";
    throw RuntimeError("the figure font " + path + " is missing" + hint);
  }
  if (FT_Init_FreeType(&impl_->library) != 0)
    throw RuntimeError("FreeType could not be initialised");
  if (FT_New_Face(impl_->library, path.c_str(), 0, &impl_->face) != 0) {
    FT_Done_FreeType(impl_->library);
    throw RuntimeError("the figure font " + path + " could not be read by FreeType");
  }
}

Font::~Font() {
  if (impl_->face) FT_Done_Face(impl_->face);
  if (impl_->library) FT_Done_FreeType(impl_->library);
}

double Font::width(std::string_view text, double size) {
  impl_->setSize(size);
  double w = 0;
  for (char32_t cp : decodeUtf8(text)) {
    if (FT_Load_Char(impl_->face, cp, FT_LOAD_DEFAULT) != 0) continue;
    w += impl_->face->glyph->advance.x / 64.0;
  }
  return w;
}

double Font::ascent(double size) const {
  return impl_->face->ascender * size / impl_->face->units_per_EM;
}

double Font::descent(double size) const {
  return -impl_->face->descender * size / impl_->face->units_per_EM;
}

TextMask Font::render(std::string_view text, double size) {
  impl_->setSize(size);
  TextMask mask;
  mask.baseline = int(std::ceil(ascent(size)));
  mask.height = mask.baseline + int(std::ceil(descent(size))) + 1;
  mask.width = int(std::ceil(width(text, size))) + 2;
  mask.alpha.assign(std::size_t(mask.width) * mask.height, 0);
  double pen = 0;
  for (char32_t cp : decodeUtf8(text)) {
    if (FT_Load_Char(impl_->face, cp, FT_LOAD_RENDER) != 0) continue;
    const FT_GlyphSlot g = impl_->face->glyph;
    const FT_Bitmap& bitmap = g->bitmap;
    const int x0 = int(std::lround(pen)) + g->bitmap_left, y0 = mask.baseline - g->bitmap_top;
    for (unsigned row = 0; row < bitmap.rows; ++row)
      for (unsigned col = 0; col < bitmap.width; ++col) {
        const int x = x0 + int(col), y = y0 + int(row);
        if (x < 0 || y < 0 || x >= mask.width || y >= mask.height) continue;
        std::uint8_t& a = mask.alpha[std::size_t(y) * mask.width + x];
        a = std::max(a, bitmap.buffer[row * unsigned(bitmap.pitch) + col]);
      }
    pen += g->advance.x / 64.0;
  }
  return mask;
}

}  // namespace gaussmap::figure
