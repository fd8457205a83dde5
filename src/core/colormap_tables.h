#pragma once
// The colormap tables, private to core/colormap.cpp. Defined in colormap_tables.cpp, which
// tools/gen_colormaps.py writes from matplotlib; each holds RGB in [0, 1] at 256 positions.
#include <array>

namespace gaussmap {

extern const std::array<std::array<float, 3>, 256> kViridis;
extern const std::array<std::array<float, 3>, 256> kMagma;
extern const std::array<std::array<float, 3>, 256> kInferno;
extern const std::array<std::array<float, 3>, 256> kPlasma;
extern const std::array<std::array<float, 3>, 256> kCividis;
extern const std::array<std::array<float, 3>, 256> kTurbo;
extern const std::array<std::array<float, 3>, 256> kGray;
extern const std::array<std::array<float, 3>, 256> kHot;

}  // namespace gaussmap
