"""Colours as the PNGs have them, and the extent that places samples right in matplotlib."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import _core


def colormaps() -> list[str]:
    """The colormap names colorize() and scene files accept ('viridis', 'magma', ...)."""
    return list(_core.colormaps())


def colorize(values: Any, colormap: str = "viridis", range: Any = "auto",
             scale: str = "linear", origin: str = "upper") -> np.ndarray:
    """Colours for a 2D array of values: uint8 (height, width, 3), the colours of the PNG.

    range: 'auto' (the finite values' min..max; for log the largest positive value down to at
    most 1e5 times less) or (lo, hi). scale: 'linear', 'sqrt' or 'log'. origin: 'upper' keeps row
    0 first; 'lower' flips the rows so that y grows upwards, as a scene's PNG with origin lower.
    """
    lo_hi = None
    if not (isinstance(range, str) and range == "auto"):
        if isinstance(range, str):
            raise ValueError(f"range: unknown value '{range}' (expected 'auto' or (lo, hi))")
        lo_hi = tuple(float(v) for v in range)
        if len(lo_hi) != 2:
            raise ValueError("range: expected 'auto' or (lo, hi)")
    array = np.asarray(values)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"values: must hold numbers (got dtype {array.dtype})")
    return _core.colorize(array, colormap, lo_hi, scale, origin)


def imshow_extent(scene_or_extent: Any, width: int | None = None, height: int | None = None,
                  origin: str = "upper") -> tuple[float, float, float, float]:
    """(left, right, bottom, top) for matplotlib's imshow(values, extent=..., origin=origin).

    imshow draws each array element as a square cell; gaussmap's samples lie on the extent's edges
    (x_0 = x0, x_{w-1} = x1). Passing the scene's extent straight to imshow shifts the picture by
    half a sample and stretches it; this widens it by half a sample on each side instead, so the
    cell of sample (i, j) is centred on (x_i, y_j). Give a Scene, or (x0, x1, y0, y1) with the
    width and height; `origin` must be the one you pass to imshow ('upper' is its default).
    """
    if width is None or height is None:
        extent = scene_or_extent.effective_extent
        width, height = scene_or_extent.width, scene_or_extent.height
    else:
        extent = scene_or_extent
    x0, x1, y0, y1 = (float(v) for v in extent)
    # Half a sample step, signed; a single column or row is a cell 1 unit wide (as 'cell' takes it).
    hx = (x1 - x0) / (2 * (width - 1)) if width > 1 else 0.5
    hy = (y1 - y0) / (2 * (height - 1)) if height > 1 else 0.5
    left, right = x0 - hx, x1 + hx
    if origin == "upper":
        return (left, right, y1 + hy, y0 - hy)
    if origin == "lower":
        return (left, right, y0 - hy, y1 + hy)
    raise ValueError(f"origin: unknown value '{origin}' (expected one of 'upper', 'lower')")
