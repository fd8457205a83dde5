#pragma once
// Options that override a scene file's fields, shared by every subcommand that takes a scene.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "gaussmap/points_csv.h"
#include "gaussmap/scene.h"

namespace gaussmap::cli {

struct SceneOverrides {
  std::string size;       // "WxH"
  std::string combine;    // sum | max | union
  std::string normalize;  // pdf | peak | cell
  std::optional<double> cutoff;
  std::string colormap;
  std::string range;  // auto | symmetric | LO:HI
  std::string scale;
  std::string origin;
  std::string extent;  // "X0,X1,Y0,Y1"

  // Which options a subcommand takes: all of them, or only those that change the values (--size,
  // --combine, --normalize, --cutoff) where colours are never made (verify).
  enum Which { All, Values };
  // Adds --size, --combine, ... to a subcommand.
  void addTo(CLI::App& app, Which which = All);
  // True when no option was given (the scene stays as it is).
  bool empty() const;
  // Applies the given options, then validates the result (InputError on bad values).
  void applyTo(Scene& scene) const;
};

// "640x480" -> {640, 480}; InputError naming `option` otherwise.
std::pair<int, int> parseSize(const std::string& text, const std::string& option);

// Loads the scene named on the command line, or builds one from --points.
struct SceneSource {
  std::string scene_path;
  std::string points_path;
  std::optional<double> sigma;
  std::optional<double> sigma_y;
  double angle = 0;
  PointColumnNames columns;

  void addTo(CLI::App& app);
  // InputError unless exactly one of a scene file and --points was given: the first thing a
  // subcommand checks, so that a bare `gaussmap render` says "no scene".
  void requireOne() const;
  // The scene or points with the overrides applied, validated (InputError naming the problem).
  Scene load(const SceneOverrides& overrides) const;
};

}  // namespace gaussmap::cli
