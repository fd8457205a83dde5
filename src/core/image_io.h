#pragma once
// Image files: PNG (8-bit RGB, with text chunks) and NPY (float32 values). Writers go through
// writeFileAtomically; readers exist for tests and for tools that read our outputs back.
#include <map>
#include <string>

#include "core/image.h"

namespace gaussmap {

// The PNG text chunk key that holds the scene JSON an image was rendered from.
inline constexpr const char* kPngSceneKey = "gaussmap:scene";
// The time (seconds) of an animated scene a frame shows.
inline constexpr const char* kPngTimeKey = "gaussmap:time";

void writePng(const std::string& path, const RgbImage& image,
              const std::map<std::string, std::string>& text = {});
// Values as float32, shape (height, width), C order: row j holds y_j.
void writeNpy(const std::string& path, const FloatImage& values);

struct PngFile {
  RgbImage image;
  std::map<std::string, std::string> text;
};
PngFile readPng(const std::string& path);
// Reads a 2-D little-endian float32 C-order NPY file.
FloatImage readNpy(const std::string& path);

}  // namespace gaussmap
