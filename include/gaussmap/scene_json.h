#pragma once
// The scene file (JSON): read with full validation, written back losslessly.
#include <string>
#include <string_view>

#include "gaussmap/scene.h"

namespace gaussmap {

// Parses and validates a scene. Errors are InputError with `source_name` and the place:
// "seed.json:12:5: syntax error: ...", "seed.json: kernels[3].sigmax: unknown key (did you mean
// 'sigma_x'?)".
Scene parseScene(std::string_view json_text, const std::string& source_name);

// Reads a file and parses it; a file that cannot be read is an InputError too.
Scene loadScene(const std::string& path);

// The scene as pretty-printed JSON that parseScene reads back to the same Scene.
std::string sceneToJson(const Scene& scene);

// The closest candidate by edit distance, or "" when none is close.
std::string closestName(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace gaussmap
