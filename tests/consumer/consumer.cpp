// A user's program: load a scene, render it on cpu and on the exact reference through the public
// API, and check that they agree within 1e-6 of the image's largest value; a window too.
// Exit 0 when they do, 1 (with the figures) when they do not.
#include <gaussmap/gaussmap.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace {

// The largest |a - b| over the largest |b|.
double relativeError(const gaussmap::FloatImage& a, const gaussmap::FloatImage& b) {
  double worst = 0, scale = 0;
  for (std::size_t k = 0; k < b.pixels.size(); ++k) {
    worst = std::max(worst, std::abs(double(a.pixels[k]) - double(b.pixels[k])));
    scale = std::max(scale, std::abs(double(b.pixels[k])));
  }
  return scale > 0 ? worst / scale : worst;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: consumer SCENE.json\n");
    return 2;
  }
  try {
    const gaussmap::Scene scene = gaussmap::loadScene(argv[1]);
    gaussmap::RenderOptions options;
    options.backend = gaussmap::Backend::Reference;
    const gaussmap::FloatImage exact = gaussmap::render(scene, options);
    options.backend = gaussmap::Backend::Cpu;
    gaussmap::RenderReport report;
    const gaussmap::FloatImage fast = gaussmap::render(scene, options, &report);

    // A window of the grid is the crop of the whole render, bit for bit on cpu.
    options.window = gaussmap::SampleWindow{scene.width / 4, scene.height / 3, 64, 32};
    const gaussmap::FloatImage window = gaussmap::render(scene, options);
    int window_mismatches = 0;
    for (int j = 0; j < window.height; ++j)
      for (int i = 0; i < window.width; ++i)
        if (window.at(i, j) != fast.at(options.window->i0 + i, options.window->j0 + j))
          ++window_mismatches;

    const double error = relativeError(fast, exact);
    std::printf(
        "gaussmap %s: %s, %dx%d, %zu kernels; cpu vs reference %.3g relative; window "
        "mismatches %d\n",
        std::string(gaussmap::version()).c_str(), argv[1], scene.width, scene.height,
        scene.kernels.size(), error, window_mismatches);
    if (report.backend != gaussmap::Backend::Cpu || fast.width != scene.width ||
        fast.height != scene.height || !(error <= 1e-6) || window_mismatches != 0) {
      std::fprintf(stderr, "consumer: FAILED\n");
      return 1;
    }
    return 0;
  } catch (const gaussmap::InputError& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 2;
  }
}
