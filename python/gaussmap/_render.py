"""gaussmap.render and render_batch: kernels in, float32 numpy values out."""
from __future__ import annotations

import threading
from typing import Any

import numpy as np

from . import _core
from ._scene import Scene

_reports = threading.local()


def last_report() -> dict[str, Any] | None:
    """What this thread's last render did: {'backend', 'reason', 'render_ms', 'figures'}.

    'backend' is the backend that rendered (never 'auto'); 'reason' says why auto chose it.
    None before the first render in this thread.
    """
    return getattr(_reports, "last", None)


def _session(backend: str, gl_path: str, threads: int) -> _core.Session:
    """This thread's session for these settings (a RenderSession is not thread-safe; creating one
    starts a thread pool or a GL context, which would dominate small renders)."""
    sessions = getattr(_reports, "sessions", None)
    if sessions is None:
        sessions = _reports.sessions = {}
    key = (backend, gl_path, threads)
    if key not in sessions:
        sessions[key] = _core.Session(backend, gl_path, threads)
    return sessions[key]


def render_scene(scene: Scene, *, backend: str = "auto", gl_path: str = "auto", threads: int = 0,
                 window: tuple[int, int, int, int] | None = None, time: float | None = None,
                 out: np.ndarray | None = None) -> np.ndarray:
    if window is not None:
        window = tuple(int(v) for v in window)
        if len(window) != 4:
            raise ValueError("window: expected (i0, j0, width, height)")
    session = _session(backend, gl_path, int(threads))
    if out is None:
        values, _reports.last = session.render(scene, window, time)
        return values
    shape = (window[3], window[2]) if window is not None else (scene.height, scene.width)
    if not isinstance(out, np.ndarray) or out.dtype != np.float32 or out.shape != shape:
        raise ValueError(f"out: expected a float32 array of shape {shape} "
                         f"(got {getattr(out, 'dtype', type(out).__name__)} "
                         f"{getattr(out, 'shape', '')})")
    _reports.last = session.render_into(scene, window, time, out)
    return out


def render(kernels: Any, width: int, height: int, *,
           extent: tuple[float, float, float, float] | None = None, combine: str = "sum",
           normalize: str = "pdf", cutoff: float | None = None, backend: str = "auto",
           gl_path: str = "auto", threads: int = 0,
           window: tuple[int, int, int, int] | None = None, time: float | None = None,
           sigma: float = 1.0, weight: float = 1.0, out: np.ndarray | None = None) -> np.ndarray:
    """Renders Gaussian kernels on a width x height grid of samples.

    Returns a float32 array of shape (height, width): values[j, i] is the value at the sample
    (x_i, y_j), x_i = x0 + i*(x1-x0)/(width-1) (like numpy.linspace), the same as the NPY files
    of the command line. The array views the C++ result (no copy).

    kernels, in the form you have them:
      * an (N, k) array, k = 2..6, columns in this order:
          x, y                      centres; every kernel takes sigma= and weight=
          x, y, sigma               one sigma for both axes
          x, y, sigma_x, sigma_y    axis-aligned
          ..., angle_deg            turned counterclockwise from +x towards +y
          ..., weight               scales the kernel (pdf: its mass; peak: its top value)
      * a dict of columns, a numpy structured array or a pandas DataFrame with the scene file's
        names: x, y, and sigma or sigma_x and sigma_y, angle_deg, weight, label (missing ones take
        sigma= / weight= / 0 degrees)
      * a list of dicts with the same names, one per kernel.
    extent: (x0, x1, y0, y1), the positions of the first and last samples; default
        (0, width-1, 0, height-1), so sample (i, j) is at (i, j).
    combine: 'sum' (default), 'max', or 'union' (1 - prod(1 - v_k), the probabilistic OR).
    normalize: 'pdf' (default: the bivariate normal density), 'peak' (value = weight at the
        centre, for keypoint heat maps) or 'cell' (the mass in each sample's cell).
    cutoff: Mahalanobis distance beyond which a kernel adds nothing (3 = "three sigmas").
    backend: 'auto' (gl on a hardware GPU, else cpu), 'cpu', 'gl' (EGL, no window needed) or
        'reference' (exact, slow). last_report() says which one rendered and why.
    gl_path: 'auto', 'loop' or 'footprint' (gl only). threads: cpu workers, 0 = one per core.
        Each thread keeps one session per (backend, gl_path, threads) between calls, so the
        thread pool or GL context is made once.
    window: (i0, j0, width, height), a rectangle of the grid; the result is that crop of the
        whole render (bit for bit on cpu and reference).
    time: seconds, for animated scenes.
    out: a writable C-contiguous float32 array of the result's shape (a numpy.memmap works): the
        values are rendered into it and it is returned. On cpu the tiles are written there
        directly; other backends copy their result in. After an exception its contents are
        unspecified.

    The GIL is released while rendering, so threads render in parallel. Wrong types raise
    TypeError, wrong values ValueError naming the kernel and field ("kernels[3].sigma_x: must be
    > 0 (got -1)"); a backend that fails raises RuntimeError.

    >>> import gaussmap
    >>> v = gaussmap.render([[200, 200, 20], [190, 210, 40, 80]], 400, 400, combine="union")
    >>> v.shape, v.dtype
    ((400, 400), dtype('float32'))
    """
    scene = Scene(kernels, width, height, sigma=sigma, weight=weight, extent=extent,
                  combine=combine, normalize=normalize, cutoff=cutoff)
    return render_scene(scene, backend=backend, gl_path=gl_path, threads=threads, window=window,
                        time=time, out=out)


def render_batch(points: Any, width: int, height: int, sigma: float, *, weight: float = 1.0,
                 normalize: str = "peak", cutoff: float | None = None,
                 extent: tuple[float, float, float, float] | None = None, backend: str = "cpu",
                 gl_path: str = "auto", threads: int = 0) -> np.ndarray:
    """Keypoint target heat maps: one map per keypoint, shape (B, K, height, width), float32.

    points: (B, K, 2) array of (x, y) per image and keypoint, in sample coordinates (or the
    extent's units); a NaN x or y marks a missing keypoint and gives an all-zero map. With the
    default normalize='peak' each map is weight * exp(-d^2 / (2 sigma^2)), exactly `weight` at a
    centre that lies on a sample. backend defaults to 'cpu' (small maps: no GPU round trips);
    on cpu and reference the maps are shared among `threads` workers (0 = one per core).
    """
    scene = Scene(np.zeros((1, 2)), width, height, sigma=sigma, weight=weight, extent=extent,
                  normalize=normalize, cutoff=cutoff)
    points = np.asarray(points)
    if points.dtype.kind not in "iuf":
        raise TypeError(f"points: must hold numbers (got dtype {points.dtype})")
    maps, report = _core.render_batch(scene, points, backend, gl_path, int(threads))
    _reports.last = report
    return maps
