#pragma once
// A linked vertex + fragment program built from embedded shader files (or texts in memory).
// Shader files may contain `#include "name.glsl"` lines; compile errors name the file and line.
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "gl/gl.h"
#include "gl/shader_sources.h"

namespace gaussmap::gl {

// Finds the text of a file named in an #include line (shaderFile, unless a test says otherwise).
using ShaderLookup = std::function<std::string_view(std::string_view file_name)>;

class Program {
 public:
  // Compiles and links shaders/<vertex_file> and shaders/<fragment_file>. defines (e.g.
  // "#define COMBINE_UNION 1\n") is inserted right after each stage's #version line. Throws
  // RuntimeError("compiling shader loop.frag failed:\n<log>") or
  // RuntimeError("linking program fullscreen.vert + loop.frag failed:\n<log>").
  Program(std::string_view vertex_file, std::string_view fragment_file,
          std::string_view defines = {});

  // The same from texts in memory; the names only label error messages.
  static Program fromSources(std::string_view vertex_name, std::string_view vertex_text,
                             std::string_view fragment_name, std::string_view fragment_text,
                             std::string_view defines = {},
                             const ShaderLookup& lookup = shaderFile);

  Program(Program&& other) noexcept;
  Program& operator=(Program&& other) noexcept;
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;
  ~Program();

  GLuint id() const { return id_; }
  // "fullscreen.vert + loop.frag": for error messages about this program.
  const std::string& label() const { return label_; }
  void use() const;
  // The uniform's location, or -1 when the program has no such active uniform. Cached.
  GLint uniform(std::string_view name) const;
  // Throws RuntimeError when the program has no active uniform block of that name.
  void bindUniformBlock(std::string_view block, GLuint binding);

 private:
  Program(GLuint id, std::string label);

  GLuint id_ = 0;
  std::string label_;
  mutable std::map<std::string, GLint, std::less<>> uniform_locations_;
};

}  // namespace gaussmap::gl
