#pragma once
// The colormap tables, private to core/colormap.cpp. Defined in colormap_tables.cpp;
// both files are written by tools/gen_colormaps.py from matplotlib. Each table holds RGB in
// [0, 1] at 256 positions.
#include <array>
#include <string_view>

namespace gaussmap {

using ColormapTable = std::array<std::array<float, 3>, 256>;

extern const ColormapTable kViridis;
extern const ColormapTable kMagma;
extern const ColormapTable kInferno;
extern const ColormapTable kPlasma;
extern const ColormapTable kCividis;
extern const ColormapTable kTurbo;
extern const ColormapTable kGray;
extern const ColormapTable kHot;
extern const ColormapTable kRdBu;
extern const ColormapTable kCoolwarm;
extern const ColormapTable kBwr;
extern const ColormapTable kSeismic;
extern const ColormapTable kPuOr;
extern const ColormapTable kGreys;
extern const ColormapTable kBlues;
extern const ColormapTable kReds;
extern const ColormapTable kYlOrRd;

struct NamedColormapTable {
  std::string_view name;  // matplotlib's name
  const ColormapTable* table;
};
extern const std::array<NamedColormapTable, 17> kColormapTables;

}  // namespace gaussmap
