// Headless contexts through EGL: no window system, so tests and the CLI run without a display.
#include <EGL/egl.h>
#include <EGL/eglext.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gaussmap/errors.h"
#include "gl/context.h"
#include "gl/gl.h"

// After glad: GLFW must not include the system's OpenGL header.
#include <GLFW/glfw3.h>

namespace gaussmap::gl {

namespace {

struct EglErrorName {
  EGLint code;
  std::string_view name;
};

constexpr EglErrorName kEglErrorNames[] = {
    {EGL_SUCCESS, "EGL_SUCCESS"},
    {EGL_NOT_INITIALIZED, "EGL_NOT_INITIALIZED"},
    {EGL_BAD_ACCESS, "EGL_BAD_ACCESS"},
    {EGL_BAD_ALLOC, "EGL_BAD_ALLOC"},
    {EGL_BAD_ATTRIBUTE, "EGL_BAD_ATTRIBUTE"},
    {EGL_BAD_CONFIG, "EGL_BAD_CONFIG"},
    {EGL_BAD_CONTEXT, "EGL_BAD_CONTEXT"},
    {EGL_BAD_CURRENT_SURFACE, "EGL_BAD_CURRENT_SURFACE"},
    {EGL_BAD_DISPLAY, "EGL_BAD_DISPLAY"},
    {EGL_BAD_MATCH, "EGL_BAD_MATCH"},
    {EGL_BAD_NATIVE_PIXMAP, "EGL_BAD_NATIVE_PIXMAP"},
    {EGL_BAD_NATIVE_WINDOW, "EGL_BAD_NATIVE_WINDOW"},
    {EGL_BAD_PARAMETER, "EGL_BAD_PARAMETER"},
    {EGL_BAD_SURFACE, "EGL_BAD_SURFACE"},
    {EGL_CONTEXT_LOST, "EGL_CONTEXT_LOST"},
};

std::string eglErrorName(EGLint error) {
  for (const EglErrorName& entry : kEglErrorNames) {
    if (entry.code == error) return std::string(entry.name);
  }
  char text[32];
  std::snprintf(text, sizeof text, "EGL error 0x%04x", static_cast<unsigned>(error));
  return text;
}

// Throws for the EGL call that just failed, with the error EGL recorded for it.
[[noreturn]] void throwEglFailure(std::string_view what) {
  throw RuntimeError(std::string(what) + " failed (" + eglErrorName(eglGetError()) + ")");
}

bool hasExtension(std::string_view list, std::string_view name) {
  std::size_t start = 0;
  while (start < list.size()) {
    std::size_t end = list.find(' ', start);
    if (end == std::string_view::npos) end = list.size();
    if (list.substr(start, end - start) == name) return true;
    start = end + 1;
  }
  return false;
}

// Extension entry points are not exported by libEGL; they must be looked up.
template <typename Function>
Function eglFunction(const char* name) {
  auto function = reinterpret_cast<Function>(eglGetProcAddress(name));
  if (function == nullptr) throw RuntimeError(std::string(name) + " is not available");
  return function;
}

class EglContext final : public Context {
 public:
  // Creates an OpenGL 3.3 core context on display, makes it current and loads OpenGL.
  EglContext(EGLDisplay display, std::string platform)
      : display_(display), platform_(std::move(platform)) {
    try {
      create();
    } catch (...) {
      release();
      throw;
    }
  }
  ~EglContext() override { release(); }

  void makeCurrent() override {
    // The bound API is per thread, and a context made current on another thread needs it too.
    if (!eglBindAPI(EGL_OPENGL_API)) throwEglFailure("eglBindAPI(EGL_OPENGL_API)");
    if (eglMakeCurrent(display_, surface_, surface_, context_)) return;
    EGLint error = eglGetError();
    // libglvnd gives a thread to one API at a time: a WindowContext's GLX context must go first.
    if (error == EGL_BAD_ACCESS && glfwGetCurrentContext() != nullptr) {
      glfwMakeContextCurrent(nullptr);
      if (eglMakeCurrent(display_, surface_, surface_, context_)) return;
      error = eglGetError();
    }
    throw RuntimeError("eglMakeCurrent failed (" + eglErrorName(error) + ")");
  }

  std::string description() const override {
    return "OpenGL " + caps().version + " on " + caps().renderer + " via " + platform_;
  }

 private:
  void create();
  void release() noexcept;

  EGLDisplay display_;
  std::string platform_;
  bool terminate_display_ = false;
  EGLContext context_ = EGL_NO_CONTEXT;
  EGLSurface surface_ = EGL_NO_SURFACE;
};

void EglContext::create() {
  // EGL does not count eglInitialize calls: a display another live Context already initialized
  // is left for that one to terminate.
  const bool already_initialized = eglQueryString(display_, EGL_VERSION) != nullptr;
  eglGetError();  // the query's EGL_NOT_INITIALIZED is expected, not a failure
  EGLint major = 0;
  EGLint minor = 0;
  if (!eglInitialize(display_, &major, &minor)) throwEglFailure("eglInitialize");
  terminate_display_ = !already_initialized;

  const char* extension_list = eglQueryString(display_, EGL_EXTENSIONS);
  const std::string_view extensions = extension_list != nullptr ? extension_list : "";
  const bool egl_1_5 = major > 1 || (major == 1 && minor >= 5);
  const bool create_context_khr = hasExtension(extensions, "EGL_KHR_create_context");
  if (!egl_1_5 && !create_context_khr) {
    throw RuntimeError("EGL " + std::to_string(major) + "." + std::to_string(minor) +
                       " cannot ask for a core profile (no EGL_KHR_create_context)");
  }
  if (!eglBindAPI(EGL_OPENGL_API)) throwEglFailure("eglBindAPI(EGL_OPENGL_API)");

  // We render into framebuffer objects, so the default framebuffer only has to exist.
  const bool surfaceless = hasExtension(extensions, "EGL_KHR_surfaceless_context");
  const EGLint config_attributes[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_SURFACE_TYPE,
                                      surfaceless ? 0 : EGL_PBUFFER_BIT, EGL_NONE};
  EGLConfig config = nullptr;
  EGLint config_count = 0;
  if (!eglChooseConfig(display_, config_attributes, &config, 1, &config_count))
    throwEglFailure("eglChooseConfig");
  if (config_count == 0) {
    throw RuntimeError(surfaceless ? "no EGL config supports OpenGL"
                                   : "no EGL config supports OpenGL with a pbuffer");
  }

  std::vector<EGLint> context_attributes = {
      EGL_CONTEXT_MAJOR_VERSION,       3,
      EGL_CONTEXT_MINOR_VERSION,       3,
      EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT};
  if (debugContextRequested()) {
    if (create_context_khr) {
      context_attributes.insert(context_attributes.end(),
                                {EGL_CONTEXT_FLAGS_KHR, EGL_CONTEXT_OPENGL_DEBUG_BIT_KHR});
    } else {
      context_attributes.insert(context_attributes.end(), {EGL_CONTEXT_OPENGL_DEBUG, EGL_TRUE});
    }
  }
  context_attributes.push_back(EGL_NONE);
  context_ = eglCreateContext(display_, config, EGL_NO_CONTEXT, context_attributes.data());
  if (context_ == EGL_NO_CONTEXT) throwEglFailure("eglCreateContext (OpenGL 3.3 core)");

  if (!surfaceless) {
    const EGLint pbuffer_attributes[] = {EGL_WIDTH, 1, EGL_HEIGHT, 1, EGL_NONE};
    surface_ = eglCreatePbufferSurface(display_, config, pbuffer_attributes);
    if (surface_ == EGL_NO_SURFACE) throwEglFailure("eglCreatePbufferSurface (1x1)");
  }
  makeCurrent();

  const int loaded = gladLoadGL(
      [](const char* name) { return reinterpret_cast<GLADapiproc>(eglGetProcAddress(name)); });
  if (loaded == 0) throw RuntimeError("gladLoadGL found no OpenGL entry points");
  initialize();
}

void EglContext::release() noexcept {
  // Only our own context is unbound: another Context may be current on this thread.
  if (context_ != EGL_NO_CONTEXT && eglGetCurrentContext() == context_)
    eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
  if (surface_ != EGL_NO_SURFACE) eglDestroySurface(display_, surface_);
  if (context_ != EGL_NO_CONTEXT) eglDestroyContext(display_, context_);
  if (terminate_display_) eglTerminate(display_);
  surface_ = EGL_NO_SURFACE;
  context_ = EGL_NO_CONTEXT;
  terminate_display_ = false;
}

std::string clientExtensions() {
  // EGL 1.4 without client extensions answers NULL and records EGL_BAD_DISPLAY.
  const char* client_list = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
  eglGetError();
  return client_list != nullptr ? client_list : "";
}

std::vector<EGLDeviceEXT> enumerateDevices(std::string_view client_extensions) {
  for (std::string_view needed :
       {"EGL_EXT_platform_base", "EGL_EXT_platform_device", "EGL_EXT_device_enumeration"}) {
    if (!hasExtension(client_extensions, needed))
      throw RuntimeError(std::string(needed) + " is not supported");
  }
  const auto query_devices = eglFunction<PFNEGLQUERYDEVICESEXTPROC>("eglQueryDevicesEXT");
  EGLint count = 0;
  if (!query_devices(0, nullptr, &count)) throwEglFailure("eglQueryDevicesEXT");
  std::vector<EGLDeviceEXT> devices(static_cast<std::size_t>(count));
  if (count > 0 && !query_devices(count, devices.data(), &count))
    throwEglFailure("eglQueryDevicesEXT");
  devices.resize(static_cast<std::size_t>(count));
  return devices;
}

// EGL_MESA_device_software marks Mesa's software rasterizer among the devices.
bool isSoftwareDevice(std::string_view client_extensions, EGLDeviceEXT device) {
  if (!hasExtension(client_extensions, "EGL_EXT_device_query")) return false;
  const auto query_string = eglFunction<PFNEGLQUERYDEVICESTRINGEXTPROC>("eglQueryDeviceStringEXT");
  const char* extensions = query_string(device, EGL_EXTENSIONS);
  eglGetError();
  return extensions != nullptr && hasExtension(extensions, "EGL_MESA_device_software");
}

std::unique_ptr<Context> createOnDevicePlatform(std::string_view client_extensions) {
  std::vector<EGLDeviceEXT> devices = enumerateDevices(client_extensions);
  if (devices.empty()) throw RuntimeError("no EGL devices");
  const auto platform_display =
      eglFunction<PFNEGLGETPLATFORMDISPLAYEXTPROC>("eglGetPlatformDisplayEXT");
  // Several devices (a GPU and the software rasteriser): hardware first, then the first that
  // works wins.
  std::vector<std::size_t> order(devices.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_partition(order.begin(), order.end(), [&](std::size_t i) {
    return !isSoftwareDevice(client_extensions, devices[i]);
  });
  std::string failures;
  for (std::size_t i : order) {
    const std::string label = "device " + std::to_string(i);
    try {
      EGLDisplay display = platform_display(EGL_PLATFORM_DEVICE_EXT, devices[i], nullptr);
      if (display == EGL_NO_DISPLAY) throwEglFailure("eglGetPlatformDisplayEXT");
      return std::make_unique<EglContext>(display, "EGL device platform (" + label + ")");
    } catch (const RuntimeError& error) {
      failures += (failures.empty() ? "" : ", ") + label + ": " + error.what();
    }
  }
  throw RuntimeError(failures);
}

std::unique_ptr<Context> createOnSurfacelessPlatform(std::string_view client_extensions) {
  for (std::string_view needed : {"EGL_EXT_platform_base", "EGL_MESA_platform_surfaceless"}) {
    if (!hasExtension(client_extensions, needed))
      throw RuntimeError(std::string(needed) + " is not supported");
  }
  const auto platform_display =
      eglFunction<PFNEGLGETPLATFORMDISPLAYEXTPROC>("eglGetPlatformDisplayEXT");
  EGLDisplay display =
      platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
  if (display == EGL_NO_DISPLAY) throwEglFailure("eglGetPlatformDisplayEXT");
  return std::make_unique<EglContext>(display, "EGL surfaceless");
}

std::unique_ptr<Context> createOnDefaultDisplay() {
  EGLDisplay display = eglGetDisplay(EGL_DEFAULT_DISPLAY);
  if (display == EGL_NO_DISPLAY) throwEglFailure("eglGetDisplay");
  return std::make_unique<EglContext>(display, "EGL default display");
}

}  // namespace

EglDeviceSurvey surveyEglDevices() {
  EglDeviceSurvey survey;
  // No GPU device node: only a software rasterizer could answer. Known without loading EGL's
  // drivers at all, which costs a few milliseconds: a tenth of a small render's whole process.
  std::error_code ec;
  bool gpu_node = std::filesystem::exists("/dev/nvidiactl", ec);
  for (const auto& entry : std::filesystem::directory_iterator("/dev/dri", ec))
    gpu_node = gpu_node || entry.path().filename().string().rfind("renderD", 0) == 0;
  if (!gpu_node) {
    survey.enumerated = true;
    survey.summary = "no GPU device node: no /dev/dri/renderD*, no /dev/nvidiactl";
    return survey;
  }
  try {
    const std::string client_extensions = clientExtensions();
    if (!hasExtension(client_extensions, "EGL_EXT_device_query")) return survey;
    for (EGLDeviceEXT device : enumerateDevices(client_extensions))
      ++(isSoftwareDevice(client_extensions, device) ? survey.software : survey.hardware);
    survey.enumerated = true;
  } catch (const RuntimeError&) {
    return survey;  // not enumerable: a context's GL_RENDERER has to tell
  }
  const int total = survey.hardware + survey.software;
  survey.summary = std::to_string(total) + " EGL device" + (total == 1 ? "" : "s") + ": " +
                   std::to_string(survey.hardware) + " hardware, " +
                   std::to_string(survey.software) +
                   " software rasterizer (EGL_MESA_device_software)";
  return survey;
}

bool isSoftwareRenderer(std::string_view gl_renderer) {
  std::string lower(gl_renderer);
  for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view name : {"llvmpipe", "softpipe", "swiftshader", "lavapipe",
                                "software rasterizer", "basic render driver", "swrast"})
    if (lower.find(name) != std::string::npos) return true;
  return false;
}

std::unique_ptr<Context> createHeadlessContext() {
  const std::string client_extensions = clientExtensions();

  std::string failures;
  const auto attempt = [&](std::string_view label, auto create) -> std::unique_ptr<Context> {
    try {
      return create();
    } catch (const RuntimeError& error) {
      failures += (failures.empty() ? "" : "; ") + std::string(label) + ": " + error.what();
      return nullptr;
    }
  };
  if (auto context =
          attempt("EGL device platform", [&] { return createOnDevicePlatform(client_extensions); }))
    return context;
  if (auto context = attempt("Mesa surfaceless platform",
                             [&] { return createOnSurfacelessPlatform(client_extensions); }))
    return context;
  if (auto context = attempt("default display", [] { return createOnDefaultDisplay(); }))
    return context;
  throw RuntimeError("no headless OpenGL 3.3 core context through EGL: " + failures);
}

}  // namespace gaussmap::gl
