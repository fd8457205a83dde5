#pragma once
// Image files: PNG (8-bit RGB, with text chunks) and NPY (float32 values). Writers go through
// writeFileAtomically; readers exist for tests and for tools that read our outputs back.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "gaussmap/image.h"

namespace gaussmap {

// The PNG text chunk key that holds the scene JSON an image was rendered from.
inline constexpr const char* kPngSceneKey = "gaussmap:scene";
// The time (seconds) of an animated scene a frame shows.
inline constexpr const char* kPngTimeKey = "gaussmap:time";
// For a window of the scene's grid (`render --window`): "I0,J0,WxH".
inline constexpr const char* kPngWindowKey = "gaussmap:window";
// Written instead of kPngSceneKey when the scene is too large to embed: a sentence saying so.
inline constexpr const char* kPngSceneOmittedKey = "gaussmap:scene-omitted";
// PNG text chunks hold fewer bytes than this. Readers cap them: Pillow's Image.open refuses a
// chunk that decompresses to 1 MiB or more ("Decompressed Data Too Large"), so a scene's JSON is
// embedded only when it is shorter.
inline constexpr std::size_t kPngMaxTextBytes = std::size_t{1} << 20;

// For a 16-bit values PNG: the range its levels span, {"lo", "hi", "scale"} as JSON (level p is
// the value at position t = p / 65535 of that mapping; README "16-bit values").
inline constexpr const char* kPngRangeKey = "gaussmap:range";

// Writes through writeFileAtomically, checking for an interrupt between rows. A kPngSceneKey
// value of kPngMaxTextBytes or more is left out, and a kPngSceneOmittedKey chunk says so (with its
// size and the limit); any other text that long is a RuntimeError.
void writePng(const std::string& path, const RgbImage& image,
              const std::map<std::string, std::string>& text = {});
// The same with an alpha channel (8-bit RGBA).
void writePng(const std::string& path, const RgbaImage& image,
              const std::map<std::string, std::string>& text = {});
// The same PNG stream (no text chunks) in memory, e.g. to embed in an SVG figure.
std::string encodePng(const RgbImage& image);
// A 16-bit grayscale PNG, the same way (text chunks alike).
void writeGrayPng16(const std::string& path, const Gray16Image& image,
                    const std::map<std::string, std::string>& text = {});
// Values as float32, shape (height, width), C order: row j holds y_j. Written in chunks of a few
// MiB with a check for an interrupt between them.
void writeNpy(const std::string& path, const FloatImage& values);

struct PngFile {
  RgbImage image;
  // Row by row, one byte a pixel, when the file has an alpha channel (empty otherwise).
  std::vector<std::uint8_t> alpha;
  std::map<std::string, std::string> text;
};
PngFile readPng(const std::string& path);
struct Png16File {
  Gray16Image image;
  std::map<std::string, std::string> text;
};
// Reads a 16-bit grayscale PNG (RuntimeError for any other kind).
Png16File readGrayPng16(const std::string& path);
// Reads a 2-D little-endian float32 C-order NPY file.
FloatImage readNpy(const std::string& path);

}  // namespace gaussmap
