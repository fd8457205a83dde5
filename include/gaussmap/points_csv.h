#pragma once
// Points as input: one kernel per CSV row. With a header line, columns are found by name (x, y,
// weight, sigma, sigma_x, sigma_y, angle_deg, or other names mapped to those); without one, by
// position: x, y[, weight[, sigma_x[, sigma_y[, angle_deg]]]] (a 4th column alone is the sigma of
// both axes). A row's own sigma, angle or weight wins over the defaults below.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gaussmap/scene.h"

namespace gaussmap {

// The header name that holds each field; empty: the field's own name ("x", "sigma_x", ...), and
// then only x and y must be present. A name given here must be in the header.
struct PointColumnNames {
  std::string x, y, weight, sigma, sigma_x, sigma_y, angle_deg;
};

struct PointKernelShape {
  // For rows that give no sigma: sigma_x, and sigma_y (nullopt: sigma_x). Without either, every
  // row must give its own (an InputError naming the first that does not).
  std::optional<double> sigma_x;
  std::optional<double> sigma_y;
  double angle_deg = 0;  // for rows that give none
  PointColumnNames columns;
};

// Errors are InputError naming the source and line: "points.csv:7: expected a finite number in
// column 2 ('y'), got 'abc'". Header columns that name no field are left out of the kernels and,
// when `unused_columns` is given, listed there (so that a caller can say so).
std::vector<Kernel> parsePointsCsv(std::string_view text, const std::string& source_name,
                                   const PointKernelShape& shape,
                                   std::vector<std::string>* unused_columns = nullptr);
// `path` "-" reads standard input (named "<stdin>" in messages).
std::vector<Kernel> loadPointsCsv(const std::string& path, const PointKernelShape& shape,
                                  std::vector<std::string>* unused_columns = nullptr);

}  // namespace gaussmap
