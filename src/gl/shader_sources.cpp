#include "gl/shader_sources.h"

#include <string>

#include "gaussmap/errors.h"

namespace gaussmap::gl {

std::string_view shaderFile(std::string_view file_name) {
  for (const detail::EmbeddedShader& shader : detail::embeddedShaders()) {
    if (shader.name == file_name) return shader.text;
  }
  std::string known;
  for (const detail::EmbeddedShader& shader : detail::embeddedShaders()) {
    known += known.empty() ? "" : ", ";
    known += shader.name;
  }
  throw RuntimeError("unknown shader file \"" + std::string(file_name) +
                     "\" (embedded: " + (known.empty() ? std::string("none") : known) + ")");
}

std::vector<std::string_view> shaderFileNames() {
  std::vector<std::string_view> names;
  for (const detail::EmbeddedShader& shader : detail::embeddedShaders())
    names.push_back(shader.name);
  return names;
}

}  // namespace gaussmap::gl
