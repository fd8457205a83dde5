#pragma once
// Points as input: one kernel per CSV row `x,y[,weight]` (a header line is allowed).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gaussmap/scene.h"

namespace gaussmap {

struct PointKernelShape {
  double sigma_x = 1;
  double sigma_y = 1;
  double angle_deg = 0;
  // Header name of the weight column; empty = the third column when present, else weight 1.
  std::string weight_column;
};

// Errors are InputError naming the source and line: "points.csv:7: expected a number in column 2
// ('y'), got 'abc'".
std::vector<Kernel> parsePointsCsv(std::string_view text, const std::string& source_name,
                                   const PointKernelShape& shape);
std::vector<Kernel> loadPointsCsv(const std::string& path, const PointKernelShape& shape);

}  // namespace gaussmap
