#pragma once
// One function per subcommand: each registers its options on the app and returns the action to
// run when that subcommand was chosen. Actions return the exit code or throw (main maps errors).
#include <CLI/CLI.hpp>
#include <functional>

namespace gaussmap::cli {

using Action = std::function<int()>;

Action addRenderCommand(CLI::App& app);
Action addVerifyCommand(CLI::App& app);
Action addViewCommand(CLI::App& app);
Action addRecordCommand(CLI::App& app);
Action addBenchCommand(CLI::App& app);
Action addTilesCommand(CLI::App& app);
Action addSchemaCommand(CLI::App& app);

}  // namespace gaussmap::cli
