"""gaussmap.dask at scale: points rendered into a float32 Zarr store on a 2-worker LocalCluster.

    PYTHONPATH=build/python /usr/bin/python3 python/benchmarks/scale_bench.py          # 1e7 points, 32768^2
    PYTHONPATH=build/python /usr/bin/python3 python/benchmarks/scale_bench.py --points 1e6 --size 8192

Issue 12's scale benchmark (docs/scale-out.md has the figures and the cost model). The points are
uniform over the grid, each a circular Gaussian of --sigma samples (pdf normalisation), generated
per partition from (--seed, partition) so both input kinds hold the same points:

  memory     the points as one numpy array in this process; gaussmap.dask.render cuts them per
             block (kernels_by_block) and each block's subset travels inside the task graph.
  dataframe  a dask DataFrame of --partitions partitions, each made on a worker (as a Parquet
             read would be); every (partition, block) pair renders a partial block and the
             partials are tree-reduced.

Each kind runs on its own fresh distributed.LocalCluster(n_workers=2, threads_per_worker=1), so
a worker's peak memory is its process's VmHWM in /proc/self/status (the kernel's high-water mark
of its resident set, not a sample) for that kind alone, next to its VmRSS when it started. Printed
per kind: the time to build the graph and to store it (heat.to_zarr), task counts by kind (the
graph, and the tasks the task stream saw run), the pickled graph size, compute seconds per task
kind, the workers' CPU seconds, bytes the workers fetched from each other (their
transfer_incoming_log), blocks/s, samples/s and kernel evaluations/s (an
estimate: the samples inside each kernel's contract radius m2 <= 2 ln 1e7, as docs/performance.md
counts them). Also the scheduler's overhead per task (--overhead-tasks no-op tasks).

At the end --check-blocks random blocks are read back from each store and compared with a direct
gaussmap.render(points, ..., window=block) of the same points: bit for bit for the memory kind,
within 2e-6 of the block's largest value for the dataframe kind (its reduction is within 1e-6 of
the reference, cpu within 5e-7). Then one block is rendered alone on one thread (with and without
its kernels) and its zarr compress-and-write is timed alone: the terms of docs/scale-out.md's cost
model. Exit 0 when the blocks match, 1 when not, 2 for bad options (or too little free disk: a
store takes at most size^2 * 4 bytes, less after zarr's default compressor).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict

import cloudpickle
import numpy as np
import pandas as pd

import dask
import dask.dataframe as dd
import distributed
import zarr
from dask.utils import key_split

import gaussmap
import gaussmap.dask

KINDS = ("memory", "dataframe")
# Samples inside a kernel's contract radius, per sigma_x * sigma_y: pi * m2 with m2 = 2 ln 1e7.
EVALUATIONS_PER_SIGMA2 = math.pi * 2 * math.log(1e7)


def positive_int(text: str) -> int:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer (got {text!r})") from None
    if not value.is_integer() or value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer (got {text!r})")
    return int(value)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=positive_int, default=10_000_000,
                        help="how many points (1e7 accepted; default 10,000,000)")
    parser.add_argument("--size", type=positive_int, default=32768,
                        help="the grid is size x size samples (default 32768)")
    parser.add_argument("--chunk", type=positive_int, default=4096,
                        help="blocks of chunk x chunk samples, one Zarr chunk each (default 4096)")
    parser.add_argument("--partitions", type=positive_int, default=10,
                        help="partitions of the dask DataFrame (default 10)")
    parser.add_argument("--sigma", type=float, default=3.0, help="kernel sigma in samples")
    parser.add_argument("--kinds", default="memory,dataframe",
                        help="comma-separated input kinds to run: memory, dataframe")
    parser.add_argument("--zarr", help="folder for the stores (must not exist or be empty; "
                        "default: a temporary folder, removed at the end)")
    parser.add_argument("--check-blocks", type=int, default=3,
                        help="random blocks compared with a direct render (default 3)")
    parser.add_argument("--overhead-tasks", type=int, default=1000,
                        help="no-op tasks timed for the scheduler overhead (0: skip; default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    args.kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    for kind in args.kinds:
        if kind not in KINDS:
            parser.error(f"--kinds: unknown kind {kind!r} (expected memory, dataframe)")
    if not args.kinds:
        parser.error("--kinds: at least one kind")
    if not (math.isfinite(args.sigma) and args.sigma > 0):
        parser.error(f"--sigma: must be a positive number (got {args.sigma})")
    if args.partitions > args.points:
        parser.error(f"--partitions: {args.partitions} is more than --points {args.points}")
    if args.overhead_tasks < 0:
        parser.error(f"--overhead-tasks: must be at least 0 (got {args.overhead_tasks})")
    if args.check_blocks < 0:
        parser.error(f"--check-blocks: must be at least 0 (got {args.check_blocks})")
    if args.zarr and os.path.exists(args.zarr) and (
            not os.path.isdir(args.zarr) or os.listdir(args.zarr)):
        parser.error(f"--zarr: {args.zarr} exists and is not an empty folder")
    return args


def partition_sizes(points: int, partitions: int) -> list[int]:
    return [points // partitions + (k < points % partitions) for k in range(partitions)]


def make_partition(k: int, count: int, size: int, seed: int) -> pd.DataFrame:
    """Partition k's points: uniform over [0, size) in x and y."""
    rng = np.random.default_rng([seed, k])
    return pd.DataFrame({"x": rng.uniform(0, size, count), "y": rng.uniform(0, size, count)})


def memory_status() -> dict:
    """This process's resident set now (VmRSS) and at its peak (VmHWM), in bytes, from
    /proc/self/status. (getrusage's ru_maxrss would not do: Linux carries it over fork and exec,
    so a worker started from a large client reports the client's peak.)"""
    figures = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                figures[name] = int(value.split()[0]) * 1024
    return {"rss": figures["VmRSS"], "peak_rss": figures["VmHWM"]}


def worker_figures(dask_worker) -> dict:
    """Run on each worker (client.run): peak RSS, CPU time and the bytes it fetched from other
    workers."""
    log = list(dask_worker.transfer_incoming_log)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_rss": memory_status()["peak_rss"], "cpu_s": usage.ru_utime + usage.ru_stime,
            "fetched_bytes": sum(entry["total"] for entry in log),
            "fetches": len(log),
            "fetch_seconds": sum(entry["duration"] for entry in log)}


def worker_start(dask_worker) -> dict:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    log = list(dask_worker.transfer_incoming_log)
    return {"start_rss": memory_status()["rss"], "start_cpu_s": usage.ru_utime + usage.ru_stime,
            "start_fetched_bytes": sum(entry["total"] for entry in log),
            "start_fetches": len(log), "start_fetch_seconds": sum(e["duration"] for e in log)}


def noop(i):
    return i


@contextlib.contextmanager
def cluster_client(client: distributed.Client | None):
    """`client` when given (the tests' cluster), else a fresh 2-worker LocalCluster's client."""
    if client is not None:
        yield client
        return
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as fresh:
            yield fresh


def scheduler_overhead(count: int, client: distributed.Client | None) -> float:
    """Seconds per task for `count` independent no-op tasks on a fresh 2-worker cluster."""
    with cluster_client(client) as client:
        client.gather(client.map(noop, range(50), pure=False))  # warm-up
        start = time.perf_counter()
        client.gather(client.map(noop, range(count), pure=False))
        return (time.perf_counter() - start) / count


def task_stream_figures(records) -> dict:
    """Per task kind (key prefix): how many ran, and their compute and transfer seconds."""
    kinds = defaultdict(lambda: {"tasks": 0, "compute_s": 0.0, "transfer_s": 0.0})
    for record in records:
        entry = kinds[key_split(record["key"])]
        entry["tasks"] += 1
        for step in record.get("startstops", ()):
            span = step["stop"] - step["start"]
            if step["action"] == "compute":
                entry["compute_s"] += span
            elif step["action"] == "transfer":
                entry["transfer_s"] += span
    return dict(kinds)


def run_kind(kind: str, args, points: np.ndarray | None, store: str,
             client: distributed.Client | None) -> dict:
    with cluster_client(client) as client:
        started = client.run(worker_start)
        sizes = partition_sizes(args.points, args.partitions)
        start = time.perf_counter()
        if kind == "memory":
            kernels = points
        else:
            meta = pd.DataFrame({"x": np.array([], float), "y": np.array([], float)})
            kernels = dd.from_delayed(
                [dask.delayed(make_partition, pure=True)(k, n, args.size, args.seed)
                 for k, n in enumerate(sizes)], meta=meta)
        heat = gaussmap.dask.render(kernels, args.size, args.size, chunks=args.chunk,
                                    sigma=args.sigma)
        build_s = time.perf_counter() - start
        graph = dict(heat.__dask_graph__())
        graph_tasks = defaultdict(int)
        for key in graph:
            graph_tasks[key_split(key)] += 1
        graph_bytes = len(cloudpickle.dumps(graph, protocol=5))
        del graph
        start = time.perf_counter()
        with distributed.get_task_stream(client) as stream:
            heat.to_zarr(store)
        store_s = time.perf_counter() - start
        workers = client.run(worker_figures)
        return {
            "build_s": build_s, "store_s": store_s, "graph_keys": len(heat.__dask_graph__()),
            "graph_tasks": dict(graph_tasks), "graph_bytes": graph_bytes,
            "ran": task_stream_figures(stream.data),
            "workers": {address: dict(figures, **started[address])
                        for address, figures in workers.items()},
        }


def since(worker: dict, name: str):
    """A worker's figure for this kind: its value now less its value when the kind started."""
    return worker[name] - worker["start_" + name]


def mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def report(kind: str, figures: dict, args, blocks: int) -> None:
    samples = args.size * args.size
    evaluations = args.points * EVALUATIONS_PER_SIGMA2 * args.sigma**2
    total = figures["build_s"] + figures["store_s"]
    print(f"\n== {kind}: {args.points:,} points -> {args.size}x{args.size} float32 Zarr, "
          f"{blocks} blocks of {args.chunk}x{args.chunk}")
    print(f"  total {total:.2f} s: graph built in {figures['build_s']:.2f} s, stored (to_zarr) "
          f"in {figures['store_s']:.2f} s")
    print(f"  throughput: {blocks / total:.2f} blocks/s, {samples / total / 1e6:,.1f} M samples/s, "
          f"~{evaluations / total / 1e6:,.0f} M kernel evaluations/s (estimate: "
          f"{evaluations:.3g} evaluations)")
    print(f"  graph: {figures['graph_keys']:,} keys, {mib(figures['graph_bytes'])} pickled; "
          + ", ".join(f"{name} {count}" for name, count in sorted(figures["graph_tasks"].items())))
    ran = figures["ran"]
    print(f"  ran {sum(e['tasks'] for e in ran.values()):,} tasks:")
    for name, entry in sorted(ran.items(), key=lambda item: -item[1]["compute_s"]):
        print(f"    {name:<28} {entry['tasks']:>6} tasks  compute {entry['compute_s']:8.2f} s "
              f"({1e3 * entry['compute_s'] / entry['tasks']:8.1f} ms each)  "
              f"transfer {entry['transfer_s']:6.2f} s")
    cpu_s = sum(since(worker, "cpu_s") for worker in figures["workers"].values())
    print(f"  workers' CPU time: {cpu_s:.1f} s in all, {cpu_s / blocks:.2f} s a block")
    for address, worker in sorted(figures["workers"].items()):
        print(f"  worker {address}: peak RSS {mib(worker['peak_rss'])} (at start "
              f"{mib(worker['start_rss'])}), {since(worker, 'cpu_s'):.1f} CPU s, fetched "
              f"{mib(since(worker, 'fetched_bytes'))} from the other worker in "
              f"{since(worker, 'fetches')} transfers, {since(worker, 'fetch_seconds'):.2f} s")


def check_blocks(args, points, stores, edges, rng) -> bool:
    """Random blocks of each store against a direct render of their windows."""
    blocks = [(bj, bi) for bj in range(len(edges) - 1) for bi in range(len(edges) - 1)]
    picked = [blocks[i] for i in rng.choice(len(blocks), min(args.check_blocks, len(blocks)),
                                            replace=False)]
    ok = True
    for bj, bi in picked:
        x0, x1, y0, y1 = edges[bi], edges[bi + 1], edges[bj], edges[bj + 1]
        direct = gaussmap.render(points, args.size, args.size, sigma=args.sigma, backend="cpu",
                                 window=(x0, y0, x1 - x0, y1 - y0))
        for kind, store in stores.items():
            stored = zarr.open(store, mode="r")[y0:y1, x0:x1]
            if kind == "memory":
                same = np.array_equal(stored, direct)
                detail = "bit for bit" if same else (
                    f"{np.count_nonzero(stored != direct)} samples differ")
            else:
                scale = float(np.max(np.abs(direct)))
                error = float(np.max(np.abs(stored - direct))) / scale if scale else 0.0
                same = error <= 2e-6 and stored.dtype == np.float32
                detail = "bit for bit" if np.array_equal(stored, direct) else (
                    f"max error {error:.2e} of the block's largest value (limit 2e-6)")
            ok &= same
            print(f"  block ({bj}, {bi}) rows {y0}:{y1} columns {x0}:{x1}, {kind}: "
                  f"{'matches' if same else 'DIFFERS'} ({detail})")
    return ok


def zarr_write_seconds(store: str, root: str, chunk: int) -> tuple[tuple[float, float], int]:
    """Wall and CPU seconds (best of 3) to compress and write block (0, 0) of `store` as one
    chunk of a zarr array, and its sample count."""
    values = zarr.open(store, mode="r")[:chunk, :chunk]
    scratch = zarr.open(os.path.join(root, "write.zarr"), mode="w", shape=values.shape,
                        chunks=values.shape, dtype=np.float32)

    def write():
        scratch[:, :] = values

    times = best_of_3(write)
    shutil.rmtree(os.path.join(root, "write.zarr"))
    return times, values.size


def block_costs(args, points) -> dict:
    """One block rendered alone in this process on one thread (best of 3): with no kernel in
    reach (the per-sample cost: allocating, zeroing, resolving the window) and with the kernels
    that reach block (0, 0) (the reach: 8.6 sigma, the reference's, plus 2 samples)."""
    side = min(args.chunk, args.size)
    reach = 8.6 * args.sigma + 2
    inside = ((points[:, 0] > -reach) & (points[:, 0] < side + reach) &
              (points[:, 1] > -reach) & (points[:, 1] < side + reach))
    subset = points[inside]
    far = np.array([[args.size + 1e4, args.size + 1e4]])

    def best(kernels):
        return best_of_3(lambda: gaussmap.render(kernels, args.size, args.size, sigma=args.sigma,
                                                 backend="cpu", threads=1,
                                                 window=(0, 0, side, side)))

    (empty_s, empty_cpu_s), (kernels_s, kernels_cpu_s) = best(far), best(subset)
    return {"samples": side * side, "kernels": int(len(subset)), "empty_s": empty_s,
            "empty_cpu_s": empty_cpu_s, "kernels_s": kernels_s, "kernels_cpu_s": kernels_cpu_s}


def best_of_3(run) -> tuple[float, float]:
    """The least wall seconds and the least CPU seconds (this process) of 3 runs."""
    walls, cpus = [], []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main(argv=None, client: distributed.Client | None = None) -> int:
    """The benchmark; `client`: run everything on that cluster instead of fresh ones (the tests'
    smoke run: each worker's peak then covers all kinds)."""
    args = parse_args(argv)
    blocks_per_side = math.ceil(args.size / args.chunk)
    edges = [min(k * args.chunk, args.size) for k in range(blocks_per_side + 1)]
    root = args.zarr or tempfile.mkdtemp(prefix="gaussmap-scale-")
    os.makedirs(root, exist_ok=True)
    need = args.size * args.size * 4 * len(args.kinds)
    free = shutil.disk_usage(root).free
    if free < need + 2**30:
        print(f"scale_bench: {root}: {free / 2**30:.1f} GiB free, the stores may need up to "
              f"{need / 2**30:.1f} GiB (+1 GiB spare); pass --zarr on a larger disk or a "
              f"smaller --size", file=sys.stderr)
        if not args.zarr:
            shutil.rmtree(root)
        return 2
    print(f"machine: {platform.machine()} {os.cpu_count()} CPUs, {platform.platform()}, "
          f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}; python "
          f"{platform.python_version()}, dask {dask.__version__}, distributed "
          f"{distributed.__version__}, zarr {zarr.__version__}")
    print(f"disk: {free / 2**30:.1f} GiB free at {root} (stores need at most "
          f"{need / 2**30:.1f} GiB uncompressed)")
    results = {"args": {k: v for k, v in vars(args).items()}, "kinds": {}}
    try:
        if args.overhead_tasks > 0:
            overhead = scheduler_overhead(args.overhead_tasks, client)
            results["scheduler_overhead_s_per_task"] = overhead
            print(f"scheduler overhead: {1e6 * overhead:.0f} us per task ({args.overhead_tasks:,} "
                  f"no-op tasks, client.map on 2 workers)")
        start = time.perf_counter()
        sizes = partition_sizes(args.points, args.partitions)
        points = np.concatenate([make_partition(k, n, args.size, args.seed).to_numpy()
                                 for k, n in enumerate(sizes)])
        print(f"points: {args.points:,} made in {time.perf_counter() - start:.2f} s "
              f"({mib(points.nbytes)} as x, y float64), sigma {args.sigma}")
        stores = {}
        for kind in args.kinds:
            stores[kind] = os.path.join(root, f"{kind}.zarr")
            figures = run_kind(kind, args, points if kind == "memory" else None, stores[kind],
                               client)
            figures["load_average"] = os.getloadavg()
            results["kinds"][kind] = figures
            report(kind, figures, args, blocks_per_side**2)
            stored_bytes = sum(os.path.getsize(os.path.join(folder, name))
                               for folder, _, names in os.walk(stores[kind]) for name in names)
            figures["stored_bytes"] = stored_bytes
            print(f"  store: {mib(stored_bytes)} on disk ({stored_bytes / (4 * args.size**2):.0%} "
                  f"of float32); load average now "
                  f"{' '.join(f'{v:.2f}' for v in figures['load_average'])}")
        client_peak = memory_status()["peak_rss"]
        results["client_peak_rss"] = client_peak
        print(f"\nthis process (points, client, scheduler): peak RSS {mib(client_peak)}")
        start = time.perf_counter()
        ok = check_blocks(args, points, stores, edges, np.random.default_rng(args.seed))
        print(f"check: {'passed' if ok else 'FAILED'} in {time.perf_counter() - start:.1f} s")
        costs = block_costs(args, points)
        results["block_costs"] = costs
        print(f"one block alone, one thread (best of 3, wall / CPU): {costs['samples']:,} "
              f"samples")
        for clock in ("", "cpu_"):
            per_kernel = ((costs[f"kernels_{clock}s"] - costs[f"empty_{clock}s"])
                          / max(costs["kernels"], 1))
            per_sample = costs[f"empty_{clock}s"] / costs["samples"]
            print(f"  {'CPU' if clock else 'wall'}: no kernel in reach "
                  f"{1e3 * costs[f'empty_{clock}s']:.1f} ms ({1e9 * per_sample:.2f} ns a sample); "
                  f"its {costs['kernels']:,} kernels {1e3 * costs[f'kernels_{clock}s']:.1f} ms "
                  f"({1e9 * per_kernel:,.0f} ns a kernel more)")
        (write_s, write_cpu_s), written = zarr_write_seconds(stores[args.kinds[0]], root,
                                                             args.chunk)
        results["zarr_write"] = {"samples": written, "s": write_s, "cpu_s": write_cpu_s}
        print(f"zarr write of one block, {written:,} samples (default compressor, best of 3, "
              f"this process): {1e3 * write_s:.1f} ms wall, {1e3 * write_cpu_s:.1f} ms CPU "
              f"({1e9 * write_cpu_s / written:.2f} ns a sample)")
        results["check_passed"] = ok
        if args.json:
            with open(args.json, "w", encoding="utf-8") as out:
                json.dump(results, out, indent=1, default=str)
        return 0 if ok else 1
    finally:
        if not args.zarr:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
