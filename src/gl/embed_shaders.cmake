# Build-time script (cmake -P): writes every listed shader into a C++ file as a raw string literal.
#   -DSHADER_DIR=<shaders folder> -DSHADER_LIST=<file with one name per line> -DOUTPUT=<.cpp>
foreach(required SHADER_DIR SHADER_LIST OUTPUT)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "embed_shaders.cmake needs -D${required}=...")
  endif()
endforeach()

# The closing sequence of the raw string literal; no shader may contain it.
set(delimiter "gaussmap_shader")
set(closing ")${delimiter}\"")

file(STRINGS "${SHADER_LIST}" names)
set(entries "")
foreach(name IN LISTS names)
  file(READ "${SHADER_DIR}/${name}" text)
  string(FIND "${text}" "${closing}" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "shaders/${name} contains '${closing}', which ends the embedding literal")
  endif()
  string(APPEND entries "    {\"${name}\", R\"${delimiter}(${text}${closing}},\n")
endforeach()

if(entries STREQUAL "")
  set(body "std::span<const EmbeddedShader> embeddedShaders() { return {}; }\n")
else()
  string(CONCAT body
    "namespace {\n\nconstexpr EmbeddedShader kShaders[] = {\n${entries}};\n\n}  // namespace\n\n"
    "std::span<const EmbeddedShader> embeddedShaders() { return kShaders; }\n")
endif()

file(WRITE "${OUTPUT}"
  "// Generated from shaders/ by src/gl/embed_shaders.cmake; edit the shader files instead.\n"
  "#include \"gl/shader_sources.h\"\n\n"
  "namespace gaussmap::gl::detail {\n\n"
  "${body}\n"
  "}  // namespace gaussmap::gl::detail\n")
