#pragma once
// Options that override a scene file's fields, shared by every subcommand that takes a scene.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "gaussmap/scene.h"

namespace gaussmap::cli {

struct SceneOverrides {
  std::string size;       // "WxH"
  std::string combine;    // sum | max | union
  std::string normalize;  // pdf | peak | cell
  std::optional<double> cutoff;
  std::string colormap;
  std::string range;  // auto | LO:HI
  std::string scale;
  std::string origin;

  // Adds --size, --combine, ... to a subcommand.
  void addTo(CLI::App& app);
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
  std::string weight_column;

  void addTo(CLI::App& app);
  // The scene or points with the overrides applied, validated (InputError naming the problem).
  Scene load(const SceneOverrides& overrides) const;
};

}  // namespace gaussmap::cli
