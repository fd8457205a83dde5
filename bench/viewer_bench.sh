#!/usr/bin/env bash
# The viewer benchmark (issue 13): `gaussmap view --frames N --frame-stats` under a private X
# server (xvfb-run), on W4 (1,000 kernels) and the seed at a 1280x720 canvas, playing (the heat
# map re-rendered every frame) and paused (the UI alone), printing each run's median stage times.
#   bench/viewer_bench.sh [FRAMES]          FRAMES per run (default 120; the first quarter, at
#                                           most 5, is warm-up and left out of the medians)
# Environment: GAUSSMAP (the binary, default build/src/gaussmap), VIEWER_BENCH_JSON (a folder to
# keep each run's frame-stats JSON in; default a temporary one), VIEWER_BENCH_ARGS (more
# arguments for gaussmap view, e.g. "--backend gl").
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${1:-120}
gaussmap=${GAUSSMAP:-build/src/gaussmap}
keep=${VIEWER_BENCH_JSON:-}
out=${keep:-$(mktemp -d)}
mkdir -p "$out"
[ -n "$keep" ] || trap 'rm -rf "$out"' EXIT

# The window around a 1280x720 canvas: the side panel (340), the y-axis labels (56) and the
# colour bar (110) beside it, the top margin (8), the x-axis labels (28) and the status line (22)
# (src/app/viewer.h). Each run's JSON records the canvas it got, checked below.
size=1786x778
printf '%-8s %-7s %6s %7s %8s %8s %8s %8s %8s %7s %7s %8s  %s\n' scene mode frames fps total cpu \
  events ui values colour draw swap canvas_backend
for scene in bench/W4_many.json scenes/seed.json; do
  for mode in playing paused; do
    name=$(basename "$scene" .json)
    json="$out/${name}_${mode}.json"
    play=()
    [ "$mode" = playing ] && play=(--play)
    xvfb-run -a -s "-screen 0 1920x1080x24" \
      "$gaussmap" view "$scene" --size "$size" --frames "$frames" "${play[@]}" --frame-stats "$json" \
      ${VIEWER_BENCH_ARGS:-}
    python3 - "$json" "$name" "$mode" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
run, m = j["run"], j["median"]
if run["canvas"] != [1280, 720]:
    sys.exit(f"viewer_bench: the canvas was {run['canvas']}, not 1280x720: update size= in viewer_bench.sh")
print(f"{sys.argv[2][:8]:<8} {sys.argv[3]:<7} {m['frames']:>6} {m['fps']:>7.1f} {m['total_ms']:>8.2f} {m.get('cpu_ms', float('nan')):>8.2f} "
      f"{m['events_ms']:>8.2f} {m['ui_ms']:>8.2f} {m['canvas_values_ms']:>8.2f} {m['canvas_colour_ms']:>7.2f} "
      f"{m['draw_ms']:>7.2f} {m['swap_ms']:>8.2f}  {run['canvas_backend']}")
PY
  done
done
echo "(medians in ms; GL renderer: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run"]["gl_renderer"])' "$json"))"
