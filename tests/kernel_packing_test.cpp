// Kernels packed for the shaders (sample-index space, float): footprints clipped to the image,
// wholly off-image kernels culled, the centre split into floor + fraction, and the whitening
// rows reproducing the squared Mahalanobis distance computed here in double from the kernel's
// own sigmas and angle. No OpenGL needed.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "core/index_kernel.h"
#include "gaussmap/scene.h"
#include "gl/kernel_packing.h"
#include "test_kernels.h"

namespace gaussmap::gl {
namespace {

using test::kernelAt;

Scene sceneOf(int width, int height, std::vector<Kernel> kernels,
              std::optional<Extent> extent = std::nullopt) {
  Scene scene;
  scene.width = width;
  scene.height = height;
  scene.extent = extent;
  scene.kernels = std::move(kernels);
  return scene;
}

// The packed fields by meaning (see PackedKernel).
struct Unpacked {
  double fraction_i, fraction_j, amplitude, m2_limit, floor_i, floor_j;
  bool axis_aligned;
  double w[4];
};

Unpacked unpack(const PackedKernel& p) {
  const auto& v = p.v;
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6] == 1.0f, {v[8], v[9], v[10], v[11]}};
}

// m2 from the packed floats, evaluated in double: what the shader computes, without its rounding.
double packedM2(const Unpacked& u, int i, int j) {
  const double di = (i - u.floor_i) - u.fraction_i, dj = (j - u.floor_j) - u.fraction_j;
  const double a = u.w[0] * di + u.w[1] * dj, b = u.w[2] * di + u.w[3] * dj;
  return a * a + b * b;
}

TEST(KernelPacking, FootprintsAreClippedToTheImage) {
  const Scene scene = sceneOf(20, 10,
                              {kernelAt(0.3, 0.2, 3, 3), kernelAt(19.5, 9.7, 2, 1),
                               kernelAt(10, 5, 100, 100), kernelAt(10, 5, 0.5, 0.5)});
  const PackedScene packed = packScene(scene);
  ASSERT_EQ(packed.kernels.size(), 4u);
  ASSERT_EQ(packed.footprints.size(), 4u);
  const Footprint& corner = packed.footprints[0];
  EXPECT_EQ(corner.i0, 0.0f);
  EXPECT_EQ(corner.j0, 0.0f);
  EXPECT_EQ(corner.i1, 20.0f);  // 0.3 + 5.68 * 3 + 1 reaches past column 18
  EXPECT_EQ(corner.j1, 10.0f);
  const Footprint& far_corner = packed.footprints[1];
  EXPECT_EQ(far_corner.i1, 20.0f);
  EXPECT_EQ(far_corner.j1, 10.0f);
  EXPECT_GT(far_corner.i0, 5.0f);
  EXPECT_GT(far_corner.j0, 2.0f);
  const Footprint& wide = packed.footprints[2];
  EXPECT_EQ(wide.i0, 0.0f);
  EXPECT_EQ(wide.j0, 0.0f);
  EXPECT_EQ(wide.i1, 20.0f);
  EXPECT_EQ(wide.j1, 10.0f);
  const Footprint& small = packed.footprints[3];  // 5.68 * 0.5 + 1 = 3.84 samples each way
  EXPECT_EQ(small.i0, 6.0f);
  EXPECT_EQ(small.i1, 15.0f);
  EXPECT_EQ(small.j0, 1.0f);
  EXPECT_EQ(small.j1, 10.0f);
  double area = 0;
  for (const Footprint& f : packed.footprints) area += f.area();
  EXPECT_DOUBLE_EQ(packed.footprint_area, area);
}

TEST(KernelPacking, WhollyOffImageKernelsAreCulled) {
  Scene scene = sceneOf(40, 30,
                        {kernelAt(-100, 5, 2, 2), kernelAt(-10, 5, 2, 2), kernelAt(20, 500, 2, 2),
                         kernelAt(20, 15, 2, 2)});
  // Without a cutoff a kernel reaches sqrt(32.24) * 2 + 1 = 12.4 samples: (-10, 5) touches.
  PackedScene packed = packScene(scene);
  ASSERT_EQ(packed.kernels.size(), 2u);
  EXPECT_FLOAT_EQ(unpack(packed.kernels[0]).floor_i + unpack(packed.kernels[0]).fraction_i, -10);
  EXPECT_EQ(packed.footprints[0].i0, 0.0f);
  EXPECT_EQ(packed.footprints[0].i1, 4.0f);  // columns 0..3 lie within 12.4 of -10
  EXPECT_FLOAT_EQ(unpack(packed.kernels[1]).floor_i, 20);
  // With cutoff 3 it reaches 3 * 2 + 1 = 7 samples: (-10, 5) is culled too.
  scene.cutoff = 3;
  packed = packScene(scene);
  ASSERT_EQ(packed.kernels.size(), 1u);
  EXPECT_FLOAT_EQ(unpack(packed.kernels[0]).floor_j, 15);
  EXPECT_DOUBLE_EQ(packed.footprint_area, packed.footprints[0].area());
  // An empty list packs to nothing.
  scene.kernels.clear();
  packed = packScene(scene);
  EXPECT_TRUE(packed.kernels.empty());
  EXPECT_EQ(packed.footprint_area, 0.0);
}

TEST(KernelPacking, CentreFloorPlusFractionIsTheCentreIndex) {
  const Extent extents[] = {{0, 63, 0, 47},
                            {63, 0, 47, 0},
                            {-3, 3, 2, -2},
                            {100000, 100127, -250000, -250095},
                            {0.5, 1.75, -7.25, 11.0}};
  std::mt19937 rng(2024);
  std::uniform_real_distribution<double> unit(-0.03, 1.03);  // within reach of the image
  for (const Extent& e : extents) {
    Scene scene = sceneOf(64, 48, {}, e);
    const SampleGrid grid = scene.grid();
    for (int n = 0; n < 50; ++n) {
      const double fx = unit(rng), fy = unit(rng);
      scene.kernels.push_back(kernelAt(e.x0 + fx * (e.x1 - e.x0), e.y0 + fy * (e.y1 - e.y0),
                                       0.5 * std::abs(grid.dx()), 0.5 * std::abs(grid.dy())));
    }
    const PackedScene packed = packScene(scene);
    ASSERT_EQ(packed.kernels.size(), scene.kernels.size());
    for (std::size_t k = 0; k < packed.kernels.size(); ++k) {
      const Unpacked u = unpack(packed.kernels[k]);
      const double ci = (scene.kernels[k].x - e.x0) / grid.dx();
      const double cj = (scene.kernels[k].y - e.y0) / grid.dy();
      SCOPED_TRACE("extent [" + std::to_string(e.x0) + ", " + std::to_string(e.x1) + "], kernel " +
                   std::to_string(k));
      EXPECT_EQ(u.floor_i, std::floor(u.floor_i));
      EXPECT_EQ(u.floor_j, std::floor(u.floor_j));
      EXPECT_GE(u.fraction_i, 0.0);
      EXPECT_LT(u.fraction_i, 1.0);
      EXPECT_GE(u.fraction_j, 0.0);
      EXPECT_LT(u.fraction_j, 1.0);
      // The fraction keeps float's relative precision near 1, whatever the index's size.
      EXPECT_NEAR(u.floor_i + u.fraction_i, ci, 1e-7);
      EXPECT_NEAR(u.floor_j + u.fraction_j, cj, 1e-7);
    }
  }
}

TEST(KernelPacking, WhiteningReproducesM2ComputedInDouble) {
  // Rotated and very anisotropic kernels, on plain, flipped and non-pixel extents.
  const Extent extents[] = {{0, 79, 0, 59}, {79, 0, 59, 0}, {3, -3, -2, 2.5}};
  for (const Extent& e : extents) {
    Scene scene = sceneOf(80, 60, {}, e);
    const SampleGrid grid = scene.grid();
    const double pixel = std::abs(grid.dx());
    const double cx = 0.5 * (e.x0 + e.x1) + 0.37 * pixel, cy = 0.5 * (e.y0 + e.y1) - 0.21 * pixel;
    scene.kernels = {
        kernelAt(cx, cy, 3 * pixel, 1 * pixel, 30), kernelAt(cx, cy, 1 * pixel, 20 * pixel, -67.5),
        kernelAt(cx, cy, 25 * pixel, 1.25 * pixel, 181), kernelAt(cx, cy, 2 * pixel, 5 * pixel, 90),
        kernelAt(cx, cy, 4 * pixel, 2 * pixel, 0)};
    const PackedScene packed = packScene(scene);
    ASSERT_EQ(packed.kernels.size(), scene.kernels.size());
    for (std::size_t k = 0; k < scene.kernels.size(); ++k) {
      const Unpacked u = unpack(packed.kernels[k]);
      EXPECT_EQ(u.axis_aligned, k >= 3) << k;
      double worst = 0;
      for (int j = 0; j < scene.height; j += 3) {
        for (int i = 0; i < scene.width; i += 3) {
          const double exact = test::sceneM2(scene.kernels[k], grid, i, j);
          const double packed_m2 = packedM2(u, i, j);
          worst = std::max(worst, std::abs(packed_m2 - exact) / (exact + 1e-3));
        }
      }
      // Float coefficients: a few float epsilons of m2, whatever the sigma ratio.
      EXPECT_LT(worst, 1e-6) << "kernel " << k << " on extent [" << e.x0 << ", " << e.x1 << "]";
    }
  }
}

TEST(KernelPacking, FootprintHoldsEverySampleWithinTheCutoffOrNegligibleRadius) {
  std::mt19937 rng(77);
  std::uniform_real_distribution<double> position(-10, 70),
      log_sigma(std::log(0.3), std::log(15.0));
  std::uniform_real_distribution<double> angle(-180, 180);
  for (std::optional<double> cutoff : {std::optional<double>{}, std::optional<double>{2.5}}) {
    for (Normalize normalize : {Normalize::Peak, Normalize::Cell}) {
      Scene scene = sceneOf(60, 50, {}, Extent{59, 0, 0, 49});
      scene.cutoff = cutoff;
      scene.normalize = normalize;
      for (int n = 0; n < 40; ++n)
        scene.kernels.push_back(kernelAt(position(rng), position(rng), std::exp(log_sigma(rng)),
                                         std::exp(log_sigma(rng)), angle(rng)));
      const PackedScene packed = packScene(scene);
      const SampleGrid grid = scene.grid();
      const double limit = cutoff ? *cutoff * *cutoff : kNegligibleM2;
      std::size_t next = 0;  // packed kernels keep the scene's order
      for (const Kernel& kernel : scene.kernels) {
        std::vector<std::pair<int, int>> reached;
        for (int j = 0; j < scene.height; ++j)
          for (int i = 0; i < scene.width; ++i)
            if (test::sceneM2(kernel, grid, i, j) <= limit) reached.push_back({i, j});
        const bool kept =
            next < packed.kernels.size() && std::abs(unpack(packed.kernels[next]).floor_i +
                                                     unpack(packed.kernels[next]).fraction_i -
                                                     (kernel.x - grid.x(0)) / grid.dx()) < 1e-4;
        if (!kept) {
          EXPECT_TRUE(reached.empty())
              << "culled a kernel that reaches " << reached.size() << " samples";
          continue;
        }
        const Footprint& f = packed.footprints[next++];
        for (const auto& [i, j] : reached)
          ASSERT_TRUE(i >= f.i0 && i < f.i1 && j >= f.j0 && j < f.j1)
              << "sample (" << i << ", " << j << ") outside [" << f.i0 << ", " << f.i1 << ") x ["
              << f.j0 << ", " << f.j1 << ")";
      }
      EXPECT_EQ(next, packed.kernels.size());
    }
  }
}

TEST(KernelPacking, AmplitudeAndLimitFollowTheNormalisationAndCutoff) {
  Scene scene = sceneOf(30, 30, {kernelAt(15, 15, 2, 3, 40, 0.7)});
  scene.normalize = Normalize::Pdf;
  Unpacked u = unpack(packScene(scene).kernels[0]);
  EXPECT_FLOAT_EQ(u.amplitude, 0.7 / (2 * std::numbers::pi * 2 * 3));
  EXPECT_FLOAT_EQ(u.m2_limit, kNegligibleM2);
  EXPECT_FALSE(u.axis_aligned);

  scene.normalize = Normalize::Peak;
  scene.cutoff = 3;
  u = unpack(packScene(scene).kernels[0]);
  EXPECT_FLOAT_EQ(u.amplitude, 0.7);
  EXPECT_FLOAT_EQ(u.m2_limit, 9);

  // `cell` without a cutoff integrates every sample of the footprint, however far its centre.
  scene.normalize = Normalize::Cell;
  scene.cutoff.reset();
  u = unpack(packScene(scene).kernels[0]);
  EXPECT_FLOAT_EQ(u.amplitude, 0.7);
  EXPECT_EQ(u.m2_limit, std::numeric_limits<float>::max());
}

}  // namespace
}  // namespace gaussmap::gl
