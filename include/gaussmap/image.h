#pragma once
// Row-major images: row j holds the samples at y_j (the sample grid's order), pixel (i, j) at
// index j*width + i. Values come out of renderers as FloatImage; colours come last as RgbImage.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gaussmap {

template <class T>
struct Image {
  int width = 0;
  int height = 0;
  std::vector<T> pixels;

  Image() = default;
  Image(int w, int h, T fill = T{}) : width(w), height(h), pixels(std::size_t(w) * h, fill) {}
  T& at(int i, int j) { return pixels[std::size_t(j) * width + i]; }
  const T& at(int i, int j) const { return pixels[std::size_t(j) * width + i]; }
};

struct Rgb8 {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb8&) const = default;
};

// With opacity (0 transparent, 255 opaque): map tiles and --alpha outputs.
struct Rgba8 {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Rgba8&) const = default;
};

using FloatImage = Image<float>;
using DoubleImage = Image<double>;
using RgbImage = Image<Rgb8>;
using RgbaImage = Image<Rgba8>;
// Values quantised to 16 bits (`render --bits 16`): 0 and 65535 are the range's ends.
using Gray16Image = Image<std::uint16_t>;

}  // namespace gaussmap
