// gaussmap: heat maps made of 2D Gaussian kernels. Exit codes: 0 success, 1 a runtime failure
// (I/O, no OpenGL), 2 invalid input or usage, 130/143 stopped by SIGINT/SIGTERM.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <new>

#include "cli/commands.h"
#include "cli/progress.h"
#include "core/interrupt.h"
#include "gaussmap/errors.h"

namespace {

constexpr int kExitRuntime = 1;
constexpr int kExitInput = 2;

int fail(int code, const std::string& message) {
  std::cerr << "gaussmap: error: " << message << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "gaussmap: heat maps made of 2D Gaussian kernels, exact and fast.\n"
      "Exit codes: 0 success, 1 runtime failure (I/O, no OpenGL), 2 invalid input,\n"
      "130 / 143 stopped by Ctrl+C (SIGINT) / SIGTERM (nothing half-written is left)."};
  app.set_version_flag("--version", std::string("gaussmap ") + GAUSSMAP_VERSION);
  app.require_subcommand(1);
  app.get_formatter()->column_width(34);

  std::vector<std::pair<CLI::App*, gaussmap::cli::Action>> commands;
  auto remember = [&](gaussmap::cli::Action action) {
    commands.emplace_back(app.get_subcommands({}).back(), std::move(action));
  };
  remember(gaussmap::cli::addRenderCommand(app));
  remember(gaussmap::cli::addVerifyCommand(app));
  remember(gaussmap::cli::addTilesCommand(app));
  remember(gaussmap::cli::addRecordCommand(app));
  remember(gaussmap::cli::addViewCommand(app));
  remember(gaussmap::cli::addBenchCommand(app));
  remember(gaussmap::cli::addSchemaCommand(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // The help of the subcommand in question is one `--help` away; say so.
    return fail(kExitInput, std::string(e.what()) + " (see gaussmap --help)");
  }

  // Long work polls for SIGINT/SIGTERM and stops cleanly. The viewer keeps the default
  // handling: it has its own way to ask about unsaved work before quitting.
  if (!app.got_subcommand("view")) {
    gaussmap::installInterruptHandlers();
    gaussmap::cli::installTerminalProgress();
  }
  try {
    for (auto& [sub, action] : commands) {
      if (!sub->parsed()) continue;
      const int code = action();
      gaussmap::cli::endProgressLine();
      return code;
    }
    return fail(kExitInput, "no subcommand given (see gaussmap --help)");
  } catch (const gaussmap::Interrupted& e) {
    gaussmap::cli::endProgressLine();
    std::cerr << "gaussmap: " << e.what() << ": stopped, no output written\n";
    return e.exitCode();
  } catch (const gaussmap::InputError& e) {
    gaussmap::cli::endProgressLine();
    return fail(kExitInput, e.what());
  } catch (const gaussmap::RuntimeError& e) {
    gaussmap::cli::endProgressLine();
    return fail(kExitRuntime, e.what());
  } catch (const std::bad_alloc&) {
    return fail(kExitRuntime, "out of memory");
  } catch (const std::exception& e) {
    return fail(kExitRuntime, e.what());
  }
}
