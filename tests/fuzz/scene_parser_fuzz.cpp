// libFuzzer target for the scene parser. An InputError is the expected answer to bad input;
// anything else (another exception, a crash, a sanitizer report, a hang) is a finding. A scene
// that parses must also survive a round trip through sceneToJson unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gaussmap/errors.h"
#include "gaussmap/scene_json.h"

namespace {

[[noreturn]] void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "scene_parser_fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gaussmap::Scene scene;
  try {
    scene = gaussmap::parseScene(text, "fuzz.json");
  } catch (const gaussmap::InputError&) {
    return 0;
  }
  // Other exceptions escape to libFuzzer, which reports them as a crash with the input.
  const std::string written = gaussmap::sceneToJson(scene);
  std::string again;
  try {
    again = gaussmap::sceneToJson(gaussmap::parseScene(written, "written.json"));
  } catch (const gaussmap::InputError& e) {
    finding("a parsed scene, written back, does not parse again",
            std::string(e.what()) + "\n" + written);
  }
  if (again != written) finding("a parsed scene changes in a round trip", written + "\n" + again);
  return 0;
}
