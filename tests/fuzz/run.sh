#!/usr/bin/env bash
# Runs fuzz targets for SECONDS each on a copy of their seed corpus (the corpus in git stays as
# it is): usage run.sh BUILD_DIR SECONDS [TARGET...], every target by default. Exits non-zero on
# any finding; the input that caused it is saved under BUILD_DIR/fuzz-findings/TARGET/.
# Inputs up to 64 KiB, so that work quadratic in the input's size shows as a timeout (10 s).
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 BUILD_DIR SECONDS [TARGET...]   (targets: scene_parser_fuzz points_csv_fuzz frame_pattern_fuzz)" >&2
  exit 2
fi
build=$1
seconds=$2
shift 2
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then targets=(scene_parser_fuzz points_csv_fuzz frame_pattern_fuzz); fi
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in "${targets[@]}"; do
  fuzzer="$build/tests/fuzz/$target"
  if [[ ! -x $fuzzer ]]; then
    echo "$0: no fuzzer at $fuzzer (configure with CC=clang CXX=clang++ -DGAUSSMAP_FUZZ=ON)" >&2
    exit 2
  fi
  # Each target's seeds and dictionary: corpus/ and scene.dict for the scene parser,
  # corpus_<target>/ and <target>.dict for the others, when present.
  corpus="$here/corpus_$target"
  dict="$here/${target%_fuzz}.dict"
  if [[ $target == scene_parser_fuzz ]]; then corpus="$here/corpus"; dict="$here/scene.dict"; fi
  mkdir -p "$work/$target" "$build/fuzz-findings/$target"
  if [[ -d $corpus ]]; then cp -r "$corpus/." "$work/$target/"; fi
  options=()
  if [[ -f $dict ]]; then options+=(-dict="$dict"); fi
  echo "== $target: $seconds s" >&2
  # -timeout: a single input taking over 10 s is a hang; -rss_limit_mb: runaway memory is a
  # finding.
  "$fuzzer" "$work/$target" "${options[@]}" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-findings/$target/"
done
