# The glad OpenGL loader, generated at build time into the build tree by Debian's python3-glad.
# Only src/gl/ links it; the rest of the project never sees OpenGL.
find_program(GAUSSMAP_GLAD_EXECUTABLE NAMES glad DOC "glad loader generator (python3-glad)")
if(NOT GAUSSMAP_GLAD_EXECUTABLE)
  message(FATAL_ERROR
    "The 'glad' loader generator was not found. Install it with: apt-get install python3-glad "
    "(or set GAUSSMAP_GLAD_EXECUTABLE to its path).")
endif()

# OpenGL 3.3 core is the floor; the debug extensions give checkGl the driver's error text.
set(GAUSSMAP_GLAD_API "gl:core=3.3")
set(GAUSSMAP_GLAD_EXTENSIONS "GL_KHR_debug,GL_ARB_debug_output")
set(GAUSSMAP_GLAD_DIR "${CMAKE_BINARY_DIR}/glad")

add_custom_command(
  OUTPUT "${GAUSSMAP_GLAD_DIR}/src/gl.c"
         "${GAUSSMAP_GLAD_DIR}/include/glad/gl.h"
         "${GAUSSMAP_GLAD_DIR}/include/KHR/khrplatform.h"
  # --reproducible uses the specification bundled with glad instead of downloading it.
  COMMAND "${GAUSSMAP_GLAD_EXECUTABLE}" --reproducible --quiet
          --api "${GAUSSMAP_GLAD_API}" --extensions "${GAUSSMAP_GLAD_EXTENSIONS}"
          --out-path "${GAUSSMAP_GLAD_DIR}" c --loader
  DEPENDS "${CMAKE_CURRENT_LIST_FILE}"
  COMMENT "Generating the glad OpenGL ${GAUSSMAP_GLAD_API} loader"
  VERBATIM)

add_library(glad_gl STATIC "${GAUSSMAP_GLAD_DIR}/src/gl.c")
# SYSTEM: the generated header is not ours, so our warning flags do not apply to it.
target_include_directories(glad_gl SYSTEM PUBLIC "${GAUSSMAP_GLAD_DIR}/include")
# --loader adds gladLoaderLoadGL, which opens libGL with dlopen.
target_link_libraries(glad_gl PRIVATE ${CMAKE_DL_LIBS})
