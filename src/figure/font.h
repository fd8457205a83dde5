#pragma once
// Text for figures: Debian's DejaVu Sans (fonts-dejavu-core) rasterised with FreeType. The font
// is the one thing a figure reads from outside; a missing file is a RuntimeError saying which
// package provides it.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gaussmap::figure {

// The font figures use: $GAUSSMAP_FONT when set, else DejaVu Sans from fonts-dejavu-core.
std::string figureFontPath();
inline constexpr const char* kDefaultFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// A text's coverage: `width` x `height` alpha values, the baseline `baseline` rows from the top
// and the pen starting at column 0.
struct TextMask {
  int width = 0, height = 0, baseline = 0;
  std::vector<std::uint8_t> alpha;
};

class Font {
 public:
  // Loads the font file; RuntimeError naming the file (and the Debian package for the default).
  explicit Font(const std::string& path = figureFontPath());
  ~Font();
  Font(const Font&) = delete;
  Font& operator=(const Font&) = delete;

  // Advance width in pixels of UTF-8 `text` at `size` pixels (the em size).
  double width(std::string_view text, double size);
  // The font's ascent and descent (positive, below the baseline) at `size`.
  double ascent(double size) const;
  double descent(double size) const;
  // The text's glyphs, antialiased.
  TextMask render(std::string_view text, double size);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gaussmap::figure
