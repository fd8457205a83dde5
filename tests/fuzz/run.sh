#!/usr/bin/env bash
# Runs the scene parser fuzzer for SECONDS on a copy of the seed corpus (the corpus in git stays
# as it is). Exits non-zero on any finding; the input that caused it is saved under
# BUILD_DIR/fuzz-findings/.
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build=$1
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
fuzzer="$build/tests/fuzz/scene_parser_fuzz"
if [[ ! -x $fuzzer ]]; then
  echo "$0: no fuzzer at $fuzzer (configure with CC=clang CXX=clang++ -DGAUSSMAP_FUZZ=ON)" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/corpus" "$work/corpus"
mkdir -p "$build/fuzz-findings"
# -timeout: a single input taking over 10 s is a hang; -rss_limit_mb: runaway memory is a finding.
"$fuzzer" "$work/corpus" -dict="$here/scene.dict" -max_total_time="$seconds" -timeout=10 \
  -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
  -artifact_prefix="$build/fuzz-findings/"
