"""gaussmap.verify: every fast path against the exact reference, as `gaussmap verify` does."""
from __future__ import annotations

import time
from typing import Any

import numpy as np

from ._render import last_report, render_scene
from ._scene import Scene

#: The paths verify compares with the reference: (backend, gl_path).
PATHS = (("gl", "loop"), ("gl", "footprint"), ("cpu", "auto"))


def verify(scene: Scene, tol: float = 1e-5) -> dict[str, Any]:
    """Renders `scene` on gl (both paths, through EGL) and cpu and compares with the reference.

    Returns {'passed': bool, 'scale': the reference's max |value|, 'context': the GL context,
    'paths': {'gl loop': {'max_abs', 'relative', 'ok', 'ms'}, 'gl footprint': ..., 'cpu': ...}}.
    'relative' is the largest error over the reference's max |value|; a path is ok when it is at
    most `tol`. The reference comes through the float32 API, so errors below about 6e-8 relative
    are its rounding. RuntimeError when no OpenGL context can be made (as the command line).
    """
    if not tol > 0:
        raise ValueError(f"tol: must be > 0 (got {tol})")
    reference = render_scene(scene, backend="reference").astype(np.float64)
    scale = float(np.max(np.abs(reference))) or 1.0
    result: dict[str, Any] = {"scale": scale, "paths": {}}
    for backend, gl_path in PATHS:
        start = time.perf_counter()
        values = render_scene(scene, backend=backend, gl_path=gl_path)
        ms = 1e3 * (time.perf_counter() - start)
        if backend == "gl":
            result["context"] = last_report()["figures"].get("gl_context", "")
        max_abs = float(np.max(np.abs(values - reference))) if values.size else 0.0
        name = f"gl {gl_path}" if backend == "gl" else backend
        result["paths"][name] = {"max_abs": max_abs, "relative": max_abs / scale,
                                 "ok": max_abs / scale <= tol, "ms": ms}
    result["passed"] = all(p["ok"] for p in result["paths"].values())
    return result
