// `gaussmap bench` end to end, as CI runs it: the small workloads once through the CPU and GL
// backends, every figure present and every result within 1e-5 of the reference. A smoke test of
// the harness, not a timing test: no time is asserted.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <sys/wait.h>
#include "binary_test.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

using gaussmap::testing::readText;
using gaussmap::testing::RunResult;
using BenchCommand = gaussmap::testing::BinaryTest;

TEST_F(BenchCommand, SmallWorkloadsOnceThroughCpuAndGlWithinTheToleranceOfTheReference) {
  const RunResult r =
      run({"bench", "--workload", "W1", "--workload", "W2", "--workload", "W3", "--backend", "cpu",
           "--backend", "gl", "--repeat", "1", "--json", "bench.json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("machine: "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("skipped"), std::string::npos) << "no OpenGL context?\n" << r.out;
  nlohmann::json report;
  ASSERT_NO_THROW(report = nlohmann::json::parse(readText(out() / "bench.json")));
  ASSERT_TRUE(report.contains("machine"));
  EXPECT_FALSE(report["machine"]["simd"].get<std::string>().empty());
  std::set<std::string> seen;
  for (const nlohmann::json& row : report["results"]) {
    const std::string name =
        row["workload"].get<std::string>() + " " + row["backend"].get<std::string>();
    SCOPED_TRACE(name);
    seen.insert(name);
    EXPECT_EQ(row["repeat"], 1);
    for (const char* key : {"median_ms", "min_ms", "max_ms", "cpu_median_ms", "setup_ms",
                            "output_ms", "kernel_evaluations", "mevals_per_s", "reference_ms"}) {
      ASSERT_TRUE(row.contains(key) && row[key].is_number()) << key;
      EXPECT_GE(row[key].get<double>(), 0.0) << key;
    }
    EXPECT_GT(row["median_ms"].get<double>(), 0.0);
    EXPECT_LE(row["min_ms"].get<double>(), row["max_ms"].get<double>());
    EXPECT_EQ(row["error_scope"], "full image");
    EXPECT_LE(row["max_error_relative"].get<double>(), 1e-5);
  }
  EXPECT_EQ(seen, (std::set<std::string>{"W1 cpu", "W1 gl", "W2 cpu", "W2 gl", "W3 cpu", "W3 gl"}));
}

TEST_F(BenchCommand, BadWorkloadBackendOrRepeatIsAUsageError) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"bench", "--workload", "W9"},
        std::vector<std::string>{"bench", "--workload", "W1", "--backend", "vulkan"},
        std::vector<std::string>{"bench", "--workload", "W1", "--repeat", "0"}}) {
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 2) << args.back() << "\n" << r.err;
    EXPECT_NE(r.err.find("gaussmap: error: "), std::string::npos) << r.err;
  }
}

}  // namespace
