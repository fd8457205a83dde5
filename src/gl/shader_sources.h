#pragma once
// The files of shaders/, embedded into the binary at build time so it runs from any folder.
#include <span>
#include <string_view>
#include <vector>

namespace gaussmap::gl {

// The text of shaders/<file_name>, e.g. shaderFile("loop.frag"). Throws RuntimeError naming
// the file (and the known ones) when there is no such shader.
std::string_view shaderFile(std::string_view file_name);

// Every embedded file name, sorted.
std::vector<std::string_view> shaderFileNames();

namespace detail {

struct EmbeddedShader {
  std::string_view name;
  std::string_view text;
};

// Defined in the generated embedded_shaders.cpp (see embed_shaders.cmake); sorted by name.
std::span<const EmbeddedShader> embeddedShaders();

}  // namespace detail

}  // namespace gaussmap::gl
