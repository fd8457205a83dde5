// libFuzzer target for the frame-pattern scanner (`gaussmap record -o frames/f_%05d.png`). An
// InputError is the expected answer to a bad pattern; anything else (another exception, a crash,
// a sanitizer report, a hang, a huge allocation) is a finding. A pattern that parses must name
// distinct files for distinct frames, each as printf's "%<0><width>d" would with the literal
// parts unescaped, and sinkKindOf must agree with the parser.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "gaussmap/errors.h"
#include "media/frame_sink.h"

namespace {

[[noreturn]] void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "frame_pattern_fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string pattern(reinterpret_cast<const char*>(data), size);
  gaussmap::FramePattern p;
  try {
    p = gaussmap::parseFramePattern(pattern);
  } catch (const gaussmap::InputError&) {
    return 0;
  }
  // Other exceptions escape to libFuzzer, which reports them as a crash with the input.
  if (p.width < 0 || p.width > 999) finding("a width outside 0..999", pattern);
  if (p.suffix.find('/') != std::string::npos) finding("a conversion in a folder name", pattern);
  for (const int k : {0, 7, 12345, 2147483647}) {
    char digits[1100];
    std::snprintf(digits, sizeof digits, p.zero_pad ? "%0*d" : "%*d", p.width, k);
    const std::string expected = p.prefix + digits + p.suffix;
    if (gaussmap::framePath(p, k) != expected || gaussmap::framePath(pattern, k) != expected)
      finding("framePath differs from printf", pattern + "\n" + expected);
  }
  if (gaussmap::framePath(p, 1) == gaussmap::framePath(p, 2))
    finding("two frames share a name", pattern);
  try {
    (void)gaussmap::sinkKindOf(pattern);  // PngSequence, or an InputError about the extension
  } catch (const gaussmap::InputError&) {
  }
  return 0;
}
