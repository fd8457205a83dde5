"""gaussmap.Scene: the scene file's model, editable from Python and rendered by scene.render()."""
from __future__ import annotations

import operator
import os
from typing import Any

import numpy as np

from . import _core
from ._kernels import kernel_columns

#: Scene fields that Scene(...) and scene.render(**overrides) accept by name.
SCENE_FIELDS = ("width", "height", "extent", "combine", "normalize", "cutoff", "colormap",
                "range", "scale", "origin", "name", "description", "duration", "fps")


class Scene(_core.Scene):
    """A scene: a sample grid, kernels and how they combine (README "The scene file").

    Build one from kernels (any form gaussmap.render takes), or read a scene file::

        scene = gaussmap.Scene([[200, 200, 20]], width=400, height=400, combine="union")
        scene = gaussmap.load_scene("scenes/seed.json")
        scene.cutoff = 3                    # edit fields; bad values raise ValueError
        values = scene.render()             # float32 (height, width)
        small = scene.render(width=100, height=100, backend="cpu")   # overrides on a copy
        scene.save("edited.json")           # the JSON that load_scene reads back

    Fields: width, height, extent, combine, normalize, cutoff, colormap, range, scale, origin,
    name, description, duration, fps, and kernels (a dict of float64 columns x, y, sigma_x,
    sigma_y, angle_deg, weight; assign any kernel form to replace them all). A kernel given by
    'cov' in a file reads back as its sigmas and angle; animated kernels keep their keys until
    the kernels are replaced.
    """

    def __init__(self, kernels: Any = None, width: int = 1, height: int = 1, *,
                 sigma: float = 1.0, weight: float = 1.0, **fields: Any) -> None:
        super().__init__()
        for name, value in (("width", width), ("height", height)):
            if isinstance(value, bool) or not hasattr(value, "__index__"):
                raise TypeError(f"{name}: expected an integer number of samples (got {value!r})")
        self.width, self.height = operator.index(width), operator.index(height)
        self.set_kernels(kernels, sigma=sigma, weight=weight)
        self._set_fields(fields)

    def _set_fields(self, fields: dict[str, Any]) -> None:
        for name, value in fields.items():
            if name not in SCENE_FIELDS:
                raise TypeError(f"unknown scene field '{name}' (fields: {', '.join(SCENE_FIELDS)})")
            setattr(self, name, value)

    @classmethod
    def from_json(cls, text: str, source_name: str = "<string>") -> "Scene":
        """Parses scene-file JSON; ValueError names the place, as the command line does."""
        scene = cls.__new__(cls)
        _core.Scene.__init__(scene)
        scene._assign_json(text, source_name)
        return scene

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "Scene":
        """Reads a scene file (ValueError for a file that is missing or wrong)."""
        scene = cls.__new__(cls)
        _core.Scene.__init__(scene)
        scene._assign_file(os.fspath(path))
        return scene

    def save(self, path: str | os.PathLike[str]) -> None:
        """Writes the scene as JSON (to_json()); load_scene(path) reads the same scene back."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_json())

    def copy(self) -> "Scene":
        """An independent copy (kernels included)."""
        scene = type(self).__new__(type(self))
        _core.Scene.__init__(scene, self)
        return scene

    @property
    def kernels(self) -> dict[str, np.ndarray]:
        """The kernels as float64 columns x, y, sigma_x, sigma_y, angle_deg, weight (a copy)."""
        return self._kernel_columns()

    @kernels.setter
    def kernels(self, kernels: Any) -> None:
        self.set_kernels(kernels)

    def set_kernels(self, kernels: Any, *, sigma: float = 1.0, weight: float = 1.0) -> None:
        """Replaces the kernels (any form gaussmap.render takes; sigma/weight fill missing columns)."""
        columns = kernel_columns(kernels, sigma, weight)
        self._set_kernels(columns["x"], columns["y"], columns["sigma_x"], columns["sigma_y"],
                          columns["angle_deg"], columns["weight"], columns.get("labels"))

    def render(self, *, backend: str = "auto", gl_path: str = "auto", threads: int = 0,
               window: tuple[int, int, int, int] | None = None, time: float | None = None,
               out: np.ndarray | None = None, **overrides: Any) -> np.ndarray:
        """The scene's values, float32 (height, width), row j = y_j (see gaussmap.render).

        Keyword overrides (width=, cutoff=, kernels=, ...) apply to a copy; the scene is unchanged.
        The GIL is released while rendering: do not edit this scene from another thread meanwhile.
        """
        from ._render import render_scene
        scene = self
        if overrides:
            scene = self.copy()
            kernels = overrides.pop("kernels", None)
            scene._set_fields(overrides)
            if kernels is not None:
                scene.set_kernels(kernels)
        return render_scene(scene, backend=backend, gl_path=gl_path, threads=threads,
                            window=window, time=time, out=out)

    def __len__(self) -> int:
        return self.kernel_count

    def __repr__(self) -> str:
        return (f"gaussmap.Scene({self.kernel_count} kernels, {self.width}x{self.height}, "
                f"extent={self.effective_extent}, combine='{self.combine}', "
                f"normalize='{self.normalize}', cutoff={self.cutoff})")


def load_scene(path: str | os.PathLike[str]) -> Scene:
    """Reads a scene file (README "The scene file"): gaussmap.load_scene("scenes/seed.json")."""
    return Scene.load(path)
