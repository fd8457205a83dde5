#pragma once
// The one header that includes the OpenGL loader. Only files in src/gl/ include it; the rest of
// the project talks to the renderer through interfaces that carry no OpenGL types.
#include <glad/gl.h>
