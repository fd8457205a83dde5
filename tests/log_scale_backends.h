#pragma once
// `--scale log` with `range: auto` must give the same PNG on every backend (within one 8-bit
// level): the contract lets a renderer drop contributions below 1e-7 of a kernel's peak, so the
// automatic log range must not depend on the smallest positive value a renderer happens to keep
// (README "Colours"). Shared by log_scale_test (reference, cpu) and log_scale_gl_test (both GL
// paths, where an OpenGL context can be made).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "binary_test.h"
#include "gaussmap/image_io.h"

namespace gaussmap::testing {

// A scene to render with --scale log, and the arguments that select it.
struct LogScene {
  std::string name;
  std::vector<std::string> args;
};

class LogScaleBackends : public BinaryTest {
 protected:
  void SetUp() override {
    BinaryTest::SetUp();
    // Points: a deterministic scatter (no std::rand: the same on every libc), a few isolated.
    std::ofstream csv(outPath("points.csv"));
    csv << "x,y\n";
    unsigned state = 12345;
    for (int k = 0; k < 40; ++k) {
      state = state * 1103515245u + 12345u;
      const double x = (state >> 8) % 30000 / 100.0;
      state = state * 1103515245u + 12345u;
      const double y = (state >> 8) % 20000 / 100.0;
      csv << x << "," << y << "\n";
    }
    csv.close();
    // A strong kernel and, far from it, one 1e-4 as strong: the weak one's whole body lies where
    // the strong one's tail is dropped (GL) or tiny (reference).
    std::ofstream weak(outPath("weak.json"));
    weak << R"({ "width": 300, "height": 200, "kernels": [
      { "x": 60, "y": 80, "sigma": 12 },
      { "x": 260, "y": 150, "sigma": 5, "weight": 1e-4 } ] })";
    weak.close();
    // The seed's kernels without its cutoff: the untruncated tails fill the whole image.
    std::ofstream seed(outPath("seed_untruncated.json"));
    seed << R"({ "width": 400, "height": 400, "combine": "union", "kernels": [
      { "x": 200, "y": 200, "sigma": 20 },
      { "x": 190, "y": 210, "sigma_x": 40, "sigma_y": 80 },
      { "x": 100, "y": 300, "cov": [[400, 120], [120, 900]], "weight": 0.5 } ] })";
  }

  static std::vector<LogScene> scenes() {
    return {
        {"seed", {std::string(GAUSSMAP_SOURCE_DIR) + "/scenes/seed.json"}},
        {"seed_untruncated", {"seed_untruncated.json"}},
        {"points", {"--points", "points.csv", "--sigma", "3", "--size", "300x200"}},
        {"weak", {"weak.json"}},
    };
  }

  // Renders `scene` with --scale log through `backend` (its words) to NAME_TAG.png; the PNG.
  PngFile renderLog(const LogScene& scene, const std::vector<std::string>& backend,
                    const std::string& tag) {
    std::vector<std::string> args{"render"};
    args.insert(args.end(), scene.args.begin(), scene.args.end());
    args.insert(args.end(), backend.begin(), backend.end());
    const std::string file = scene.name + "_" + tag + ".png";
    args.insert(args.end(), {"--scale", "log", "-o", file});
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 0) << scene.name << " through " << tag << ": " << r.err;
    return readPng(outPath(file));
  }

  // Every scene through `backend` against the reference: the same size, and no channel of any
  // pixel more than one level apart.
  void expectLikeTheReference(const std::vector<std::string>& backend, const std::string& tag) {
    for (const LogScene& scene : scenes()) {
      const PngFile reference = renderLog(scene, {"--backend", "reference"}, "reference");
      const PngFile other = renderLog(scene, backend, tag);
      ASSERT_EQ(other.image.width, reference.image.width) << scene.name;
      ASSERT_EQ(other.image.height, reference.image.height) << scene.name;
      int worst = 0;
      long off = 0;
      for (std::size_t p = 0; p < reference.image.pixels.size(); ++p) {
        const Rgb8 a = reference.image.pixels[p], b = other.image.pixels[p];
        const int d = std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
        worst = std::max(worst, d);
        off += d > 1;
      }
      EXPECT_LE(worst, 1) << scene.name << ": " << tag << " differs from the reference by up to "
                          << worst << " levels on " << off << " pixels with --scale log";
    }
  }
};

}  // namespace gaussmap::testing
