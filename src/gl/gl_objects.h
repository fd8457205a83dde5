#pragma once
// Move-only owners of OpenGL object names, error checks, and render targets.
// Every function here needs the owning Context to be current.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gl/context.h"
#include "gl/gl.h"

namespace gaussmap::gl {

// Owns one object name; Kind supplies the glGen*/glDelete* pair. A moved-from object holds 0.
template <typename Kind>
class GlObject {
 public:
  GlObject() { Kind::create(id_); }
  ~GlObject() { reset(); }
  GlObject(GlObject&& other) noexcept : id_(std::exchange(other.id_, 0)) {}
  GlObject& operator=(GlObject&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, 0);
    }
    return *this;
  }
  GlObject(const GlObject&) = delete;
  GlObject& operator=(const GlObject&) = delete;

  GLuint id() const { return id_; }

 private:
  void reset() noexcept {
    if (id_ != 0) Kind::destroy(id_);
    id_ = 0;
  }

  GLuint id_ = 0;
};

struct BufferKind {
  static void create(GLuint& id) { glGenBuffers(1, &id); }
  static void destroy(GLuint id) { glDeleteBuffers(1, &id); }
};
struct VertexArrayKind {
  static void create(GLuint& id) { glGenVertexArrays(1, &id); }
  static void destroy(GLuint id) { glDeleteVertexArrays(1, &id); }
};
struct TextureKind {
  static void create(GLuint& id) { glGenTextures(1, &id); }
  static void destroy(GLuint id) { glDeleteTextures(1, &id); }
};
struct FramebufferKind {
  static void create(GLuint& id) { glGenFramebuffers(1, &id); }
  static void destroy(GLuint id) { glDeleteFramebuffers(1, &id); }
};
struct QueryKind {
  static void create(GLuint& id) { glGenQueries(1, &id); }
  static void destroy(GLuint id) { glDeleteQueries(1, &id); }
};

using Buffer = GlObject<BufferKind>;
using VertexArray = GlObject<VertexArrayKind>;
using Texture = GlObject<TextureKind>;
using Framebuffer = GlObject<FramebufferKind>;
using Query = GlObject<QueryKind>;

// "GL_INVALID_OPERATION", or "GL error 0x1234" for a code without a name.
std::string glErrorName(GLenum error);

// Throws RuntimeError("OpenGL error GL_INVALID_OPERATION after <where>: <driver's text>") when
// glGetError reports anything; otherwise forgets debug messages recorded so far.
void checkGl(Context& context, std::string_view where);

// The colour formats the renderer draws into.
enum class TargetFormat {
  R32F,     // one float per texel: accumulators and values survive a fragment shader exactly
  RGBA32F,  // four floats: the footprint path's 2 x 2-sample blocks
  RGBA8,    // colours, minified linearly when the viewer shows them zoomed out
};

// A texture and the framebuffer that draws into it.
struct RenderTarget {
  Texture texture;
  Framebuffer framebuffer;
  int width = 0;
  int height = 0;
};
using FloatTarget = RenderTarget;  // one of format R32F

// The one place targets are made: throws RuntimeError for a size outside 1..max_texture_size or
// an incomplete framebuffer (with the status name). Leaves framebuffer 0 and texture 0 bound.
RenderTarget createRenderTarget(Context& context, TargetFormat format, int width, int height);
FloatTarget createFloatTarget(Context& context, int width, int height);

// All texels, row by row from the bottom row (OpenGL's order): value (x, y) is at y * width + x.
std::vector<float> readFloatTarget(Context& context, const FloatTarget& target);

}  // namespace gaussmap::gl
