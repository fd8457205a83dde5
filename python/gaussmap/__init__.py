"""gaussmap: heat maps made of 2D Gaussian kernels, exact and fast, numpy in and numpy out.

    import gaussmap
    values = gaussmap.render([[200, 200, 20], [190, 210, 40, 80]], 400, 400, combine="union")
    rgb = gaussmap.colorize(values)                       # (400, 400, 3) uint8, the PNG's colours

The math (sample grid, normalisations, combine modes, cutoff) is README.md's "The math".
"""
from . import _core
from ._colors import colorize, colormaps, imshow_extent, sample_coordinates, to_xarray
from ._render import last_report, render, render_batch
from ._scene import Scene, load_scene
from ._verify import verify

__version__: str = _core.__version__


def backends() -> dict[str, str]:
    """Each backend's name and what it is ('auto', 'gl', 'cpu', 'reference')."""
    return dict(_core.backends())


__all__ = ["Scene", "backends", "colorize", "colormaps", "imshow_extent", "last_report",
           "load_scene", "render", "render_batch", "sample_coordinates", "to_xarray", "verify",
           "__version__"]
