// gaussmap schema: prints the scene file's JSON Schema (schema/scene.schema.json, embedded at
// build time), for editors and validators.
#include <cstdio>

#include "cli/commands.h"
#include "gaussmap/errors.h"

namespace gaussmap::cli {

extern const char* const kSceneSchema;  // scene_schema.cpp, generated from the schema file

Action addSchemaCommand(CLI::App& app) {
  app.add_subcommand("schema",
                     "Print the scene file's JSON Schema (2020-12) on stdout.\n"
                     "Example: gaussmap schema > scene.schema.json");
  return [] {
    if (std::fputs(kSceneSchema, stdout) < 0 || std::fflush(stdout) != 0)
      throw RuntimeError("standard output: cannot write the schema");
    return 0;
  };
}

}  // namespace gaussmap::cli
