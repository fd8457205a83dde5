#include "gaussmap/image_io.h"

#include <png.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <regex>
#include <type_traits>
#include <vector>

#include "core/interrupt.h"
#include "gaussmap/errors.h"
#include "io/atomic_file.h"

namespace gaussmap {
namespace {

[[noreturn]] void pngError(png_structp png, png_const_charp message) {
  // libpng requires this handler not to return; an exception unwinds through C frames here,
  // which is why every libpng call sits in a function with no destructors between.
  (void)png;
  throw RuntimeError(std::string("libpng: ") + message);
}

void pngWarning(png_structp, png_const_charp) {}

// The text chunks to write: an oversized scene replaced by a note (see kPngMaxTextBytes).
std::map<std::string, std::string> boundedText(const std::string& path,
                                               const std::map<std::string, std::string>& text) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : text) {
    if (value.size() < kPngMaxTextBytes) {
      out[key] = value;
    } else if (key == kPngSceneKey) {
      out[kPngSceneOmittedKey] = "the scene was not embedded: its JSON is " +
                                 std::to_string(value.size()) +
                                 " bytes, and PNG readers (Pillow) refuse text chunks of " +
                                 std::to_string(kPngMaxTextBytes) + " bytes or more";
    } else {
      throw RuntimeError(path + ": the PNG text '" + key + "' is too long (" +
                         std::to_string(value.size()) + " bytes)");
    }
  }
  return out;
}

// Bytes per write of a large file, between checks for an interrupt: big enough to cost nothing,
// small enough that a stop request is answered within a fraction of a second.
constexpr std::size_t kWriteChunkBytes = std::size_t{8} << 20;

// The PNG stream itself into an open file (the atomic temporary file, standard output, or
// memory): `width` x `height` pixels whose row j's bytes `row(j, buffer)` gives, with the bounded
// text chunks, checking for an interrupt about every kWriteChunkBytes of pixels.
void writePngStream(std::FILE* file, const std::string& path, int width, int height, int bit_depth,
                    int color_type, std::size_t row_bytes,
                    const std::map<std::string, std::string>& chunks_text,
                    const std::function<const png_byte*(int, std::vector<png_byte>&)>& row) {
  const int rows_per_check = int(std::max<std::size_t>(1, kWriteChunkBytes / (row_bytes + 1)));
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, pngError, pngWarning);
  if (!png) throw RuntimeError(path + ": out of memory creating the PNG writer");
  png_infop info = png_create_info_struct(png);
  std::vector<png_byte> buffer;
  try {
    if (!info) throw RuntimeError(path + ": out of memory creating the PNG writer");
    png_init_io(png, file);
    png_set_IHDR(png, info, png_uint_32(width), png_uint_32(height), bit_depth, color_type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    std::vector<png_text> chunks;
    for (const auto& [key, value] : chunks_text) {
      png_text t{};
      t.compression = PNG_ITXT_COMPRESSION_zTXt;
      t.key = const_cast<char*>(key.c_str());
      t.text = const_cast<char*>(value.c_str());
      t.itxt_length = value.size();
      t.lang = nullptr;
      t.lang_key = nullptr;
      chunks.push_back(t);
    }
    if (!chunks.empty()) png_set_text(png, info, chunks.data(), int(chunks.size()));
    png_write_info(png, info);
    for (int j = 0; j < height; ++j) {
      if (j % rows_per_check == 0) throwIfInterrupted();  // between libpng calls: no C frames
      png_write_row(png, row(j, buffer));
    }
    png_write_end(png, nullptr);
  } catch (...) {
    png_destroy_write_struct(&png, &info);
    throw;
  }
  png_destroy_write_struct(&png, &info);
}

// An 8-bit RGB or RGBA image's stream: its rows are written as they lie in memory.
template <class Pixel>
void writeColourPngStream(std::FILE* file, const std::string& path, const Image<Pixel>& image,
                          const std::map<std::string, std::string>& chunks_text) {
  constexpr bool kAlpha = std::is_same_v<Pixel, Rgba8>;
  static_assert(sizeof(Pixel) == (kAlpha ? 4 : 3), "pixels are written as packed bytes");
  writePngStream(file, path, image.width, image.height, 8,
                 kAlpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                 std::size_t(image.width) * sizeof(Pixel), chunks_text,
                 [&](int j, std::vector<png_byte>&) {
                   return reinterpret_cast<const png_byte*>(&image.at(0, j));
                 });
}

template <class Pixel>
void writeColourPng(const std::string& path, const Image<Pixel>& image,
                    const std::map<std::string, std::string>& text) {
  const std::map<std::string, std::string> chunks_text = boundedText(path, text);
  writeOutput(path, [&](std::FILE* file) { writeColourPngStream(file, path, image, chunks_text); });
}

}  // namespace

void writePng(const std::string& path, const RgbImage& image,
              const std::map<std::string, std::string>& text) {
  writeColourPng(path, image, text);
}

void writePng(const std::string& path, const RgbaImage& image,
              const std::map<std::string, std::string>& text) {
  writeColourPng(path, image, text);
}

void writeGrayPng16(const std::string& path, const Gray16Image& image,
                    const std::map<std::string, std::string>& text) {
  const std::map<std::string, std::string> chunks_text = boundedText(path, text);
  writeOutput(path, [&](std::FILE* file) {
    writePngStream(file, path, image.width, image.height, 16, PNG_COLOR_TYPE_GRAY,
                   std::size_t(image.width) * 2, chunks_text,
                   [&](int j, std::vector<png_byte>& buffer) {
                     // PNG stores 16-bit samples big-endian.
                     buffer.resize(std::size_t(image.width) * 2);
                     for (int i = 0; i < image.width; ++i) {
                       buffer[2 * std::size_t(i)] = png_byte(image.at(i, j) >> 8);
                       buffer[2 * std::size_t(i) + 1] = png_byte(image.at(i, j) & 0xff);
                     }
                     return buffer.data();
                   });
  });
}

std::string encodePng(const RgbImage& image) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* file = open_memstream(&buffer, &size);
  if (!file) throw RuntimeError("out of memory encoding a PNG");
  try {
    writeColourPngStream(file, "(PNG in memory)", image, {});
  } catch (...) {
    std::fclose(file);
    std::free(buffer);
    throw;
  }
  const bool ok = std::fclose(file) == 0;
  std::string bytes = ok ? std::string(buffer, size) : std::string();
  std::free(buffer);
  if (!ok) throw RuntimeError("out of memory encoding a PNG");
  return bytes;
}

void writeNpy(const std::string& path, const FloatImage& values) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(values.height) + ", " + std::to_string(values.width) + "), }";
  // Magic (6) + version (2) + length (2) + header + '\n' is padded to a multiple of 64.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  writeOutput(path, [&](std::FILE* file) {
    const unsigned char preamble[10] = {0x93,
                                        'N',
                                        'U',
                                        'M',
                                        'P',
                                        'Y',
                                        1,
                                        0,
                                        static_cast<unsigned char>(header.size() & 0xff),
                                        static_cast<unsigned char>(header.size() >> 8)};
    static_assert(std::endian::native == std::endian::little, "NPY writer assumes little endian");
    if (std::fwrite(preamble, 1, sizeof preamble, file) != sizeof preamble ||
        std::fwrite(header.data(), 1, header.size(), file) != header.size())
      throw RuntimeError(path + ": write failed (" + std::strerror(errno) + ")");
    // In chunks: a stop request while writing a large file (hundreds of MB) is answered at the
    // next chunk, and the normal failure path removes the temporary file.
    const char* data = reinterpret_cast<const char*>(values.pixels.data());
    std::size_t left = values.pixels.size() * sizeof(float);
    while (left > 0) {
      throwIfInterrupted();
      const std::size_t n = std::min(left, kWriteChunkBytes);
      if (std::fwrite(data, 1, n, file) != n)
        throw RuntimeError(path + ": write failed (" + std::strerror(errno) + ")");
      data += n;
      left -= n;
    }
  });
}

namespace {

// Opens a PNG and reads its header, lets `read_rows(png, info)` read the pixels, then reads the
// text chunks into `text`: the reading both readers share.
void readPngFile(const std::string& path, std::map<std::string, std::string>& text,
                 const std::function<void(png_structp, png_infop)>& read_rows) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) throw RuntimeError(path + ": cannot open (" + std::strerror(errno) + ")");
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, pngError, pngWarning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  try {
    if (!info) throw RuntimeError(path + ": out of memory creating the PNG reader");
    png_init_io(png, file);
    png_read_info(png, info);
    read_rows(png, info);
    png_read_end(png, info);
    png_textp chunks = nullptr;
    const int count = png_get_text(png, info, &chunks, nullptr);
    for (int k = 0; k < count; ++k)
      text[chunks[k].key] = std::string(
          chunks[k].text, chunks[k].itxt_length ? chunks[k].itxt_length : chunks[k].text_length);
  } catch (...) {
    png_destroy_read_struct(&png, &info, nullptr);
    std::fclose(file);
    throw;
  }
  png_destroy_read_struct(&png, &info, nullptr);
  std::fclose(file);
}

}  // namespace

PngFile readPng(const std::string& path) {
  PngFile out;
  readPngFile(path, out.text, [&](png_structp png, png_infop info) {
    const bool has_alpha = (png_get_color_type(png, info) & PNG_COLOR_MASK_ALPHA) != 0 ||
                           png_get_valid(png, info, PNG_INFO_tRNS);
    png_set_strip_16(png);
    png_set_palette_to_rgb(png);
    png_set_gray_to_rgb(png);
    png_set_tRNS_to_alpha(png);
    png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);  // RGBA rows whatever the file holds
    png_read_update_info(png, info);
    const int width = int(png_get_image_width(png, info));
    out.image = RgbImage(width, int(png_get_image_height(png, info)));
    std::vector<Rgba8> row(static_cast<std::size_t>(width));
    for (int j = 0; j < out.image.height; ++j) {
      png_read_row(png, reinterpret_cast<png_bytep>(row.data()), nullptr);
      for (int i = 0; i < width; ++i) {
        out.image.at(i, j) = {row[std::size_t(i)].r, row[std::size_t(i)].g, row[std::size_t(i)].b};
        if (has_alpha) out.alpha.push_back(row[std::size_t(i)].a);
      }
    }
  });
  return out;
}

Png16File readGrayPng16(const std::string& path) {
  Png16File out;
  readPngFile(path, out.text, [&](png_structp png, png_infop info) {
    if (png_get_bit_depth(png, info) != 16 || png_get_color_type(png, info) != PNG_COLOR_TYPE_GRAY)
      throw RuntimeError(path + ": not a 16-bit grayscale PNG");
    out.image =
        Gray16Image(int(png_get_image_width(png, info)), int(png_get_image_height(png, info)));
    std::vector<png_byte> row(std::size_t(out.image.width) * 2);
    for (int j = 0; j < out.image.height; ++j) {
      png_read_row(png, row.data(), nullptr);
      for (int i = 0; i < out.image.width; ++i)
        out.image.at(i, j) =
            std::uint16_t(row[2 * std::size_t(i)] << 8 | row[2 * std::size_t(i) + 1]);
    }
  });
  return out;
}

FloatImage readNpy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RuntimeError(path + ": cannot open");
  char preamble[10];
  if (!in.read(preamble, 10) || std::memcmp(preamble, "\x93NUMPY", 6) != 0)
    throw RuntimeError(path + ": not an NPY file");
  const std::size_t length = std::uint8_t(preamble[8]) | (std::uint8_t(preamble[9]) << 8);
  std::string header(length, '\0');
  if (!in.read(header.data(), std::streamsize(length))) throw RuntimeError(path + ": truncated");
  std::smatch m;
  if (header.find("'<f4'") == std::string::npos ||
      header.find("'fortran_order': False") == std::string::npos ||
      !std::regex_search(header, m, std::regex(R"(\((\d+), (\d+)\))")))
    throw RuntimeError(path + ": expected a 2-D float32 C-order array, header: " + header);
  FloatImage image(std::stoi(m[2]), std::stoi(m[1]));
  if (!in.read(reinterpret_cast<char*>(image.pixels.data()),
               std::streamsize(image.pixels.size() * sizeof(float))))
    throw RuntimeError(path + ": truncated data");
  return image;
}

}  // namespace gaussmap
