"""gaussmap.dask: heat maps as dask arrays, one render per block, for maps larger than one render
(up to 2^20 samples a side) and kernels larger than one machine's memory.

    import gaussmap.dask
    heat = gaussmap.dask.render(points, 32768, 32768, chunks=4096, sigma=3, normalize="peak")
    heat.to_zarr("heat.zarr")           # or heat[0:1000, 0:1000].compute(), dask.array maths, ...

Blocks are windows of the whole grid (README "The math"), so the values do not depend on the
chunks. Needs Debian's python3-dask (and python3-pandas for dask DataFrames).
"""
from __future__ import annotations

import itertools
import numbers
from typing import Any

import numpy as np

import dask
import dask.array as da

from . import _core
from ._kernels import kernel_columns
from ._render import render as _render
from ._scene import Scene

__all__ = ["render"]

_TABLE = ("x", "y", "sigma_x", "sigma_y", "angle_deg", "weight")


def render(kernels: Any, width: int, height: int, *,
           extent: tuple[float, float, float, float] | None = None,
           chunks: Any = (4096, 4096), combine: str = "sum", normalize: str = "pdf",
           cutoff: float | None = None, sigma: float = 1.0, weight: float = 1.0,
           backend: str = "cpu", gl_path: str = "auto", threads: int = 1,
           fan_in: int = 4) -> da.Array:
    """The heat map as a lazy float32 dask array of shape (height, width), chunked by `chunks`.

    Same contract as gaussmap.render: element [j, i] is the value at sample (x_i, y_j). width and
    height may reach 2^20 (1,048,576) each; every chunk must be one render (at most 32768 a side
    and 2^28 samples).

    kernels: anything gaussmap.render takes (held in memory), or a dask collection of kernels too
        large for one machine: a dask.dataframe.DataFrame with the scene file's column names
        (x, y[, sigma | sigma_x, sigma_y, angle_deg, weight]) or a dask array of shape (N, 2..6)
        with gaussmap.render's column order.
    chunks: block size, anything dask.array accepts for a 2D shape: 4096, (4096, 4096), or the
        block sizes per axis ((rows...), (columns...)). Each must be a positive integer.
    combine, normalize, cutoff, extent, sigma, weight: as in gaussmap.render.
    backend: 'cpu' (default), 'reference' or 'gl'; threads: cpu threads per block (1 suits a
        Dask worker thread per core).
    fan_in: how many inputs one gathering task takes (dask collections only).

    Kernels in memory: each block renders only the kernels that reach it (kernels_by_block), and
    the result equals gaussmap.render of the whole grid bit for bit on cpu and reference.

    A dask collection of kernels: each partition is cut into per-block subsets (one task per
    partition, then one small task per (partition, block) pair picks its subset), and each block
    gathers its subsets in a tree of `fan_in`. Subsets are concatenated in partition order while
    they hold at most as many kernels as the largest partition beneath them; then the block is one
    render of them, exactly what gaussmap.render gives there (bit for bit on cpu and reference,
    as for kernels in memory), and only kernels travel between workers (48 bytes each). A block
    reached by more kernels than that renders partial blocks, reduced exactly: sum adds, max takes
    the max, union adds log1p(-v) and finishes with -expm1 (within 1e-6 of the reference, relative
    to the map's largest value). A task holds at most fan_in inputs, each one partition's subsets
    (the cutting task: the whole partition, 48 bytes a kernel) or a float64 partial block (8 bytes
    a sample: 128 MiB for a 4096 x 4096 chunk), so a worker's memory is about a partition plus
    fan_in + 1 blocks, and no worker needs all the kernels. Kernel errors surface at compute time,
    naming the row within its partition.

    Raises ValueError (TypeError for wrong types) for bad sizes, chunks or scene fields, as
    gaussmap.render does.
    """
    for name, value in (("width", width), ("height", height), ("threads", threads),
                        ("fan_in", fan_in)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name}: expected an integer (got {value!r})")
    if fan_in < 2:
        raise ValueError(f"fan_in: must be at least 2 (got {fan_in})")
    fields = {"extent": extent, "combine": combine, "normalize": normalize, "cutoff": cutoff}
    row_chunks, col_chunks = _normalize_chunks(chunks, int(height), int(width))
    row_edges = [0, *itertools.accumulate(row_chunks)]
    col_edges = [0, *itertools.accumulate(col_chunks)]
    options = {"backend": backend, "gl_path": gl_path, "threads": int(threads)}
    collection = _dask_collection(kernels)
    if collection is None:
        columns = kernel_columns(kernels, sigma, weight)
        columns.pop("labels", None)
        scene = Scene(columns, int(width), int(height), **fields)
        lists = _core.kernels_by_block(scene, col_edges, row_edges)  # validates everything
        return _assemble(row_edges, col_edges, lambda b, window: _in_memory_block(
            columns, lists[b], width, height, fields, window, options))
    # Checks the grid and fields now (the kernels are checked by the tasks that read them).
    _core.kernels_by_block(Scene(None, int(width), int(height), **fields), col_edges, row_edges)
    splits = [dask.delayed(_split, pure=True)(part, width, height, fields, col_edges, row_edges,
                                              sigma, weight)
              for part in collection]
    return _assemble(row_edges, col_edges, lambda b, window: _reduced_block(
        splits, b, width, height, fields, window, options, fan_in))


def _normalize_chunks(chunks: Any, height: int, width: int) -> tuple[tuple[int, ...], ...]:
    if isinstance(chunks, numbers.Integral) and not isinstance(chunks, bool):
        chunks = (chunks, chunks)
    sizes = chunks if isinstance(chunks, (tuple, list)) else None
    if sizes is None or len(sizes) != 2:
        raise ValueError(f"chunks: expected a block size, (rows, columns), or per-axis block sizes "
                         f"(got {chunks!r})")
    for axis, size in zip(("rows", "columns"), sizes):
        for value in (size if isinstance(size, (tuple, list)) else (size,)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(f"chunks: {axis} must be positive integers (got {value!r})")
    if width < 1 or height < 1:
        raise ValueError(f"width, height: must be at least 1 (got {width}x{height})")
    normalized = da.core.normalize_chunks(tuple(sizes), shape=(height, width), dtype=np.float32)
    largest = max(normalized[0]) * max(normalized[1])
    if max(normalized[0]) > 32768 or max(normalized[1]) > 32768 or largest > 1 << 28:
        raise ValueError(f"chunks: a block of {max(normalized[0])}x{max(normalized[1])} "
                         f"(rows x columns) is more than one render (at most 32768 a side and "
                         f"2^28 samples)")
    return normalized


def _dask_collection(kernels: Any) -> list[Any] | None:
    """The partitions of a dask DataFrame or array of kernels, as delayed objects; None for
    kernels held in memory."""
    if isinstance(kernels, da.Array):
        if kernels.ndim != 2 or not 2 <= kernels.shape[1] <= 6:
            raise ValueError(f"kernels: a dask array of kernels must have shape (N, 2..6) "
                             f"(got {kernels.shape})")
        return list(kernels.rechunk({1: -1}).to_delayed()[:, 0])
    if type(kernels).__module__.startswith("dask.dataframe"):
        return list(kernels.to_delayed())
    return None


def _assemble(row_edges: list[int], col_edges: list[int], block) -> da.Array:
    rows = []
    for bj in range(len(row_edges) - 1):
        row = []
        for bi in range(len(col_edges) - 1):
            window = (col_edges[bi], row_edges[bj], col_edges[bi + 1] - col_edges[bi],
                      row_edges[bj + 1] - row_edges[bj])
            row.append(block(bj * (len(col_edges) - 1) + bi, window))
        rows.append(row)
    return da.block(rows)


def _in_memory_block(columns, indices, width, height, fields, window, options) -> da.Array:
    shape = (window[3], window[2])
    if len(indices) == 0:  # no kernel reaches it: every mode's value is +0 there
        return da.zeros(shape, dtype=np.float32, chunks=shape)
    subset = {name: columns[name][indices] for name in _TABLE}
    task = dask.delayed(_render_window, pure=True)(subset, width, height, fields, window, options)
    return da.from_delayed(task, shape=shape, dtype=np.float32)


def _render_window(columns, width, height, fields, window, options) -> np.ndarray:
    return _render(columns, width, height, window=window, **fields, **options)


def _split(part, width, height, fields, col_edges, row_edges, sigma, weight):
    """One partition's kernels cut into per-block subsets: (subsets, kernel count)."""
    if hasattr(part, "columns") and hasattr(part, "to_numpy"):
        columns = kernel_columns(part, sigma, weight)
    else:
        columns = kernel_columns(np.asarray(part), sigma, weight)
    columns.pop("labels", None)
    scene = Scene(columns, int(width), int(height), **fields)
    lists = _core.kernels_by_block(scene, col_edges, row_edges)
    count = len(columns["x"])
    subsets = [{name: columns[name][ix] for name in _TABLE} if len(ix) else None for ix in lists]
    return subsets, count


def _pick(split, b):
    """A partition's share of block b: (kernels or None, None, floor, budget). floor: max without
    cutoff where some of the partition's kernels do not reach the block, whose dropped tails
    count as 0 (README "Combining"); budget: the partition's kernel count."""
    subsets, count = split
    return subsets[b], None, _floor(subsets[b], count), count


def _floor(subset, count) -> bool:
    return subset is None or len(subset["x"]) < count


def _accumulate(values, combine):
    """A rendered partial block in accumulator form: sum: float64; max: float32; union: the sum
    of log1p(-v) in float64."""
    if combine == "sum":
        return values.astype(np.float64)
    if combine == "union":
        return np.log1p(-values.astype(np.float64))
    return values


def _add(accumulators, combine):
    if not accumulators:
        return None
    if combine == "max":
        return np.maximum.reduce(accumulators)
    return np.sum(accumulators, axis=0)


def _merge(width, height, fields, window, options, *shares):
    """Shares of a block (kernels still to render, an accumulator) put together. Their kernels
    are concatenated in partition order while they number at most the largest partition beneath
    (budget); past that each share's kernels render into a partial block."""
    combine = fields["combine"]
    pending = [k for k, _, _, _ in shares if k is not None]
    accumulators = [a for _, a, _, _ in shares if a is not None]
    floor = any(f for _, _, f, _ in shares)
    budget = max(b for _, _, _, b in shares)
    kernels = None
    if sum(len(k["x"]) for k in pending) <= budget:
        if pending:
            kernels = {name: np.concatenate([k[name] for k in pending]) for name in _TABLE}
    else:
        accumulators += [_accumulate(_render(k, width, height, window=window, **fields, **options),
                                     combine) for k in pending]
    return kernels, _add(accumulators, combine), floor, budget


def _finish(share, width, height, fields, window, options) -> np.ndarray:
    """The block from its last share: one render when all its kernels are still together (then
    exactly what a render of the whole grid gives there), else the accumulators finished."""
    kernels, accumulator, floor, _ = share
    combine = fields["combine"]
    floor = floor and combine == "max" and fields["cutoff"] is None
    rendered = None
    if kernels is not None:
        rendered = _render(kernels, width, height, window=window, **fields, **options)
        if accumulator is None:
            return np.maximum(rendered, 0, out=rendered) if floor else rendered
    if accumulator is None:
        return np.zeros((window[3], window[2]), np.float32)
    if rendered is not None:
        accumulator = _add([accumulator, _accumulate(rendered, combine)], combine)
    if combine == "union":
        values = -np.expm1(accumulator) + 0.0  # + 0.0: +0, never -0
    elif floor:
        values = np.maximum(accumulator, 0)
    else:
        values = accumulator
    return values.astype(np.float32)


def _reduced_block(splits, b, width, height, fields, window, options, fan_in) -> da.Array:
    shape = (window[3], window[2])
    level = [dask.delayed(_pick, pure=True)(split, b) for split in splits]
    while len(level) > 1:
        level = [dask.delayed(_merge, pure=True)(width, height, fields, window, options,
                                                 *level[k:k + fan_in])
                 for k in range(0, len(level), fan_in)]
    task = dask.delayed(_finish, pure=True)(level[0], width, height, fields, window, options)
    return da.from_delayed(task, shape=shape, dtype=np.float32)
