"""Colours as the PNGs have them, and placing samples right in matplotlib and xarray."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import _core


def colormaps() -> list[str]:
    """The colormap names colorize() and scene files accept ('viridis', 'magma', ...)."""
    return list(_core.colormaps())


def colorize(values: Any, colormap: str = "viridis", range: Any = "auto",
             scale: str = "linear", origin: str = "upper", alpha: Any = "none") -> np.ndarray:
    """Colours for a 2D array of values: uint8 (height, width, 3), the colours of the PNG.

    range: 'auto' (the finite values' min..max; for log the largest positive value down to at
    most 1e5 times less), 'symmetric' ([-m, m] with m the largest |value|: a diverging colormap
    such as 'RdBu_r' centred on 0) or (lo, hi). scale: 'linear', 'sqrt' or 'log'. origin: 'upper'
    keeps row 0 first; 'lower' flips the rows so that y grows upwards, as a scene's PNG with
    origin lower. colormap: any of colormaps(), or its name with '_r' for the reversed map.

    alpha: 'none' (RGB), or RGBA (height, width, 4) with the opacity of `gaussmap render --alpha`:
    'ramp' (round(255 t), t the colour's position in the range: low values fade out) or
    'threshold:T' / ('threshold', T) (transparent below the value T, opaque from it).
    """
    if isinstance(range, str):
        range_arg: Any = range
    else:
        range_arg = tuple(float(v) for v in range)
        if len(range_arg) != 2:
            raise ValueError("range: expected 'auto', 'symmetric' or (lo, hi)")
    if isinstance(alpha, tuple) and len(alpha) == 2 and alpha[0] == "threshold":
        alpha = f"threshold:{float(alpha[1])!r}"
    if not isinstance(alpha, str):
        raise ValueError(f"alpha: expected 'none', 'ramp', 'threshold:T' or ('threshold', T), "
                         f"got {alpha!r}")
    array = np.asarray(values)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"values: must hold numbers (got dtype {array.dtype})")
    return _core.colorize(array, colormap, range_arg, scale, origin, alpha)


def imshow_extent(scene_or_extent: Any, width: int | None = None, height: int | None = None,
                  origin: str = "upper") -> tuple[float, float, float, float]:
    """(left, right, bottom, top) for matplotlib's imshow(values, extent=..., origin=origin).

    imshow draws each array element as a square cell; gaussmap's samples lie on the extent's edges
    (x_0 = x0, x_{w-1} = x1). Passing the scene's extent straight to imshow shifts the picture by
    half a sample and stretches it; this widens it by half a sample on each side instead, so the
    cell of sample (i, j) is centred on (x_i, y_j). Give a Scene, or (x0, x1, y0, y1) with the
    width and height; `origin` must be the one you pass to imshow ('upper' is its default).
    """
    (x0, x1, y0, y1), width, height = _grid_of(scene_or_extent, width, height)
    # Half a sample step, signed; a single column or row is a cell 1 unit wide (as 'cell' takes it).
    hx = (x1 - x0) / (2 * (width - 1)) if width > 1 else 0.5
    hy = (y1 - y0) / (2 * (height - 1)) if height > 1 else 0.5
    left, right = x0 - hx, x1 + hx
    if origin == "upper":
        return (left, right, y1 + hy, y0 - hy)
    if origin == "lower":
        return (left, right, y0 - hy, y1 + hy)
    raise ValueError(f"origin: unknown value '{origin}' (expected one of 'upper', 'lower')")


def _grid_of(scene_or_extent: Any, width: int | None, height: int | None
             ) -> tuple[tuple[float, float, float, float], int, int]:
    """(extent, width, height) from a Scene or from an extent with the grid's size."""
    if width is None or height is None:
        return (tuple(float(v) for v in scene_or_extent.effective_extent),
                scene_or_extent.width, scene_or_extent.height)
    return tuple(float(v) for v in scene_or_extent), int(width), int(height)


def sample_coordinates(scene_or_extent: Any, width: int | None = None, height: int | None = None
                       ) -> tuple[np.ndarray, np.ndarray]:
    """(x, y): the positions of the grid's columns and rows, float64, as README "The math" places
    them: x_i = x0 + i*(x1-x0)/(width-1), like numpy.linspace (a single column lies at x0).
    Give a Scene, or (x0, x1, y0, y1) with the width and height."""
    (x0, x1, y0, y1), width, height = _grid_of(scene_or_extent, width, height)
    return np.linspace(x0, x1, width), np.linspace(y0, y1, height)


def to_xarray(values: Any, scene_or_extent: Any, width: int | None = None,
              height: int | None = None, *, window: tuple[int, int, int, int] | None = None,
              name: str = "value") -> Any:
    """values as an xarray.DataArray with dims ('y', 'x') and each sample's coordinates.

    scene_or_extent: the Scene the values were rendered from (its fields become attributes), or
    (x0, x1, y0, y1) with the whole grid's width and height. window: the (i0, j0, width,
    height) the values were rendered for, if not the whole grid. Needs xarray (Debian:
    python3-xarray); ImportError otherwise.
    """
    try:
        import xarray
    except ImportError as error:
        raise ImportError("to_xarray needs xarray (Debian: apt-get install python3-xarray)"
                          ) from error
    array = np.asarray(values)
    x, y = sample_coordinates(scene_or_extent, width, height)
    if window is not None:
        i0, j0, w, h = (int(v) for v in window)
        x, y = x[i0:i0 + w], y[j0:j0 + h]
    if array.shape != (len(y), len(x)):
        raise ValueError(f"values: shape {array.shape} does not match the grid's "
                         f"{(len(y), len(x))} (height, width)")
    attrs = {}
    if width is None or height is None:
        scene = scene_or_extent
        attrs = {"combine": scene.combine, "normalize": scene.normalize,
                 "extent": tuple(scene.effective_extent)}
        if scene.cutoff is not None:
            attrs["cutoff"] = scene.cutoff
    return xarray.DataArray(array, dims=("y", "x"), coords={"x": x, "y": y}, name=name,
                            attrs=attrs)
