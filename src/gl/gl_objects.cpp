#include "gl/gl_objects.h"

#include <cstdio>
#include <span>
#include <string>

#include "gaussmap/errors.h"

namespace gaussmap::gl {

namespace {

struct NamedCode {
  GLenum code;
  std::string_view name;
};

constexpr NamedCode kErrorNames[] = {
    {GL_NO_ERROR, "GL_NO_ERROR"},
    {GL_INVALID_ENUM, "GL_INVALID_ENUM"},
    {GL_INVALID_VALUE, "GL_INVALID_VALUE"},
    {GL_INVALID_OPERATION, "GL_INVALID_OPERATION"},
    {GL_INVALID_FRAMEBUFFER_OPERATION, "GL_INVALID_FRAMEBUFFER_OPERATION"},
    {GL_OUT_OF_MEMORY, "GL_OUT_OF_MEMORY"},
    {GL_STACK_UNDERFLOW, "GL_STACK_UNDERFLOW"},
    {GL_STACK_OVERFLOW, "GL_STACK_OVERFLOW"},
};

constexpr NamedCode kFramebufferStatusNames[] = {
    {GL_FRAMEBUFFER_UNDEFINED, "GL_FRAMEBUFFER_UNDEFINED"},
    {GL_FRAMEBUFFER_INCOMPLETE_ATTACHMENT, "GL_FRAMEBUFFER_INCOMPLETE_ATTACHMENT"},
    {GL_FRAMEBUFFER_INCOMPLETE_MISSING_ATTACHMENT, "GL_FRAMEBUFFER_INCOMPLETE_MISSING_ATTACHMENT"},
    {GL_FRAMEBUFFER_INCOMPLETE_DRAW_BUFFER, "GL_FRAMEBUFFER_INCOMPLETE_DRAW_BUFFER"},
    {GL_FRAMEBUFFER_INCOMPLETE_READ_BUFFER, "GL_FRAMEBUFFER_INCOMPLETE_READ_BUFFER"},
    {GL_FRAMEBUFFER_UNSUPPORTED, "GL_FRAMEBUFFER_UNSUPPORTED"},
    {GL_FRAMEBUFFER_INCOMPLETE_MULTISAMPLE, "GL_FRAMEBUFFER_INCOMPLETE_MULTISAMPLE"},
    {GL_FRAMEBUFFER_INCOMPLETE_LAYER_TARGETS, "GL_FRAMEBUFFER_INCOMPLETE_LAYER_TARGETS"},
};

// The name of code in table, or "<unknown_prefix>0x1234".
std::string nameOf(std::span<const NamedCode> table, GLenum code, std::string_view unknown_prefix) {
  for (const NamedCode& entry : table) {
    if (entry.code == code) return std::string(entry.name);
  }
  char text[16];
  std::snprintf(text, sizeof text, "0x%04x", static_cast<unsigned>(code));
  return std::string(unknown_prefix) + text;
}

}  // namespace

std::string glErrorName(GLenum error) {
  return nameOf(kErrorNames, error, "GL error ");
}

void checkGl(Context& context, std::string_view where) {
  GLenum error = glGetError();
  if (error == GL_NO_ERROR) {
    context.takeDebugErrors();
    return;
  }
  std::string names = glErrorName(error);
  // Each error flag is reported once; a lost context keeps answering, hence the bound.
  for (int i = 0; i < 8 && (error = glGetError()) != GL_NO_ERROR; ++i)
    names += ", " + glErrorName(error);
  std::string message = "OpenGL error " + names + " after " + std::string(where);
  const std::string details = context.takeDebugErrors();
  if (!details.empty()) message += ": " + details;
  throw RuntimeError(message);
}

namespace {

struct FormatInfo {
  GLint internal_format;
  GLenum format, type;
  GLint min_filter;  // float textures are not filterable everywhere: NEAREST keeps them complete
  const char* name;
};

FormatInfo infoOf(TargetFormat format) {
  switch (format) {
    case TargetFormat::R32F:
      return {GL_R32F, GL_RED, GL_FLOAT, GL_NEAREST, "R32F"};
    case TargetFormat::RGBA32F:
      return {GL_RGBA32F, GL_RGBA, GL_FLOAT, GL_NEAREST, "RGBA32F"};
    case TargetFormat::RGBA8:
      return {GL_RGBA8, GL_RGBA, GL_UNSIGNED_BYTE, GL_LINEAR, "RGBA8"};
  }
  return {GL_R32F, GL_RED, GL_FLOAT, GL_NEAREST, "R32F"};
}

}  // namespace

RenderTarget createRenderTarget(Context& context, TargetFormat format, int width, int height) {
  const FormatInfo info = infoOf(format);
  const std::string size = std::to_string(width) + "x" + std::to_string(height);
  const int limit = context.caps().max_texture_size;
  if (width < 1 || height < 1 || width > limit || height > limit) {
    throw RuntimeError("cannot make a " + size + " " + info.name +
                       " render target: each side must be 1.." + std::to_string(limit));
  }
  RenderTarget target{Texture(), Framebuffer(), width, height};
  glBindTexture(GL_TEXTURE_2D, target.texture.id());
  glTexImage2D(GL_TEXTURE_2D, 0, info.internal_format, width, height, 0, info.format, info.type,
               nullptr);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, info.min_filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindTexture(GL_TEXTURE_2D, 0);
  checkGl(context, "allocating a " + size + " " + info.name + " texture");

  glBindFramebuffer(GL_FRAMEBUFFER, target.framebuffer.id());
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, target.texture.id(),
                         0);
  const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  if (status != GL_FRAMEBUFFER_COMPLETE) {
    throw RuntimeError("the " + size + " " + info.name + " framebuffer is incomplete: " +
                       nameOf(kFramebufferStatusNames, status, "framebuffer status "));
  }
  checkGl(context, "attaching the " + std::string(info.name) + " texture to its framebuffer");
  return target;
}

FloatTarget createFloatTarget(Context& context, int width, int height) {
  return createRenderTarget(context, TargetFormat::R32F, width, height);
}

std::vector<float> readFloatTarget(Context& context, const FloatTarget& target) {
  std::vector<float> values(static_cast<std::size_t>(target.width) *
                            static_cast<std::size_t>(target.height));
  glBindFramebuffer(GL_READ_FRAMEBUFFER, target.framebuffer.id());
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  // Rows of floats are 4-byte aligned already; state the packing so no caller's setting leaks in.
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glReadPixels(0, 0, target.width, target.height, GL_RED, GL_FLOAT, values.data());
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  checkGl(context, "reading back the R32F target");
  return values;
}

}  // namespace gaussmap::gl
