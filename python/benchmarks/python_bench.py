"""gaussmap.render against the best plain numpy, in one run (issue 11's targets).

    PYTHONPATH=build/python /usr/bin/python3 python/benchmarks/python_bench.py [--backend cpu] [--repeat 5]

W1, W2, W4 come from bench/*.json; W5 is a million sigma-3 points at 4096x4096 (numpy's own
random centres, so not the CLI bench's exact points). numpy evaluates each kernel as an outer
product of two 1D exps (every kernel here is axis-aligned), on the whole grid for W1/W2 and on
a box of +-5 sigma for W4/W5 (the fastest exact numpy we know; the result is within 1e-6 of the
exact value). W5's numpy loop is timed on 1% of the points and scaled up (it takes minutes).
Prints the best of --repeat runs in milliseconds.
"""
import argparse
import pathlib
import time

import numpy as np

import gaussmap

ROOT = pathlib.Path(__file__).resolve().parents[2]


def best_ms(fn, repeat):
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * min(times)


def numpy_kernels(scene_kernels, width, height, normalize, box_sigmas=None, combine="sum"):
    """The float32 numpy evaluation: separable exps, whole grid or +-box_sigmas boxes."""
    k = scene_kernels
    out = np.zeros((height, width), np.float32)
    keep = np.ones((height, width), np.float32) if combine == "union" else None
    xs, ys = np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32)
    for x, y, sx, sy, w in zip(k["x"], k["y"], k["sigma_x"], k["sigma_y"], k["weight"]):
        scale = w / (2 * np.pi * sx * sy) if normalize == "pdf" else w
        if box_sigmas is None:
            i0, i1, j0, j1 = 0, width, 0, height
        else:
            i0, i1 = max(int(x - box_sigmas * sx), 0), min(int(x + box_sigmas * sx) + 2, width)
            j0, j1 = max(int(y - box_sigmas * sy), 0), min(int(y + box_sigmas * sy) + 2, height)
            if i0 >= i1 or j0 >= j1:
                continue
        gx = np.exp(-0.5 * ((xs[i0:i1] - np.float32(x)) / np.float32(sx)) ** 2)
        gy = np.exp(-0.5 * ((ys[j0:j1] - np.float32(y)) / np.float32(sy)) ** 2) * np.float32(scale)
        if keep is not None:
            keep[j0:j1, i0:i1] *= 1 - np.outer(gy, gx)
        else:
            out[j0:j1, i0:i1] += np.outer(gy, gx)
    return 1 - keep if keep is not None else out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="cpu")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for name, box in (("W1_seed_union", None), ("W2_solution2", None), ("W4_many", 5.0)):
        scene = gaussmap.load_scene(ROOT / "bench" / f"{name}.json")
        kernels = scene.kernels
        ours = best_ms(lambda: scene.render(backend=args.backend), args.repeat)
        theirs = best_ms(lambda: numpy_kernels(kernels, scene.width, scene.height, scene.normalize,
                                               box, scene.combine), max(1, args.repeat // 2))
        error = np.max(np.abs(scene.render(backend=args.backend) - numpy_kernels(
            kernels, scene.width, scene.height, scene.normalize, box, scene.combine)))
        rows.append((name[:2], ours, theirs, error))

    rng = np.random.default_rng(5)
    points = {"x": rng.uniform(0, 4095, 1_000_000), "y": rng.uniform(0, 4095, 1_000_000),
              "sigma": np.full(1_000_000, 3.0)}
    scene = gaussmap.Scene(points, 4096, 4096, normalize="peak")
    ours = best_ms(lambda: scene.render(backend=args.backend), max(1, args.repeat // 2))
    part = {k: v[:10_000] for k, v in scene.kernels.items()}
    theirs = 100 * best_ms(lambda: numpy_kernels(part, 4096, 4096, "peak", 5.0), 1)
    rows.append(("W5", ours, theirs, float("nan")))

    print(f"backend {args.backend}; best of {args.repeat}; numpy float32 (see the docstring)")
    print(f"{'':4}{'gaussmap ms':>14}{'numpy ms':>12}{'speed-up':>10}{'max |diff|':>12}")
    for name, ours, theirs, error in rows:
        print(f"{name:4}{ours:14.2f}{theirs:12.2f}{theirs / ours:9.1f}x{error:12.2g}")

    tiny = gaussmap.Scene([[1, 1]], 4, 4)
    calls = 2000
    tiny.render(backend=args.backend)
    start = time.perf_counter()
    for _ in range(calls):
        gaussmap.render([[1, 1]], 4, 4, backend=args.backend)
    per_call_us = 1e6 * (time.perf_counter() - start) / calls
    render_us = 1e3 * gaussmap.last_report()["render_ms"]
    print(f"call overhead: {per_call_us:.1f} us per gaussmap.render of a 4x4 scene, "
          f"{per_call_us - render_us:.1f} us beyond the render itself")

    points = np.column_stack([rng.uniform(0, 64, 64 * 17), rng.uniform(0, 48, 64 * 17)])
    points = points.reshape(64, 17, 2)

    def numpy_batch():
        x, y = np.arange(64, dtype=np.float32), np.arange(48, dtype=np.float32)[:, None]
        maps = np.zeros((64, 17, 48, 64), np.float32)
        for b, k in np.ndindex(64, 17):
            px, py = points[b, k].astype(np.float32)
            maps[b, k] = np.exp(-((x - px) ** 2 + (y - py) ** 2) / np.float32(2 * 2.0**2))
        return maps

    ours = best_ms(lambda: gaussmap.render_batch(points, 64, 48, 2.0), args.repeat)
    theirs = best_ms(numpy_batch, args.repeat)
    print(f"render_batch 64 x 17 maps of 64x48: {ours:.2f} ms, numpy loop {theirs:.2f} ms "
          f"({theirs / ours:.1f}x)")


if __name__ == "__main__":
    main()
