"""gaussmap with the libraries around it: scipy's density, pandas frames, xarray coordinates, and
the README's Python example with matplotlib, run as written."""
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import scipy.stats
import xarray

import gaussmap


def test_seed_scene_matches_scipy_multivariate_normal(source_dir):
    scene = gaussmap.load_scene(source_dir / "scenes/seed.json")
    x, y = gaussmap.sample_coordinates(scene)
    xx, yy = np.meshgrid(x, y)
    grid = np.dstack([xx, yy])
    densities = [scipy.stats.multivariate_normal([200, 200], np.diag([20.0**2, 20.0**2])),
                 scipy.stats.multivariate_normal([190, 210], np.diag([40.0**2, 80.0**2]))]
    p1, p2 = (d.pdf(grid) for d in densities)
    expected = 1 - (1 - p1) * (1 - p2)  # the scene's combine: union
    for backend in ("cpu", "reference"):
        values = scene.render(backend=backend)
        error = np.max(np.abs(values - expected)) / expected.max()
        assert error < 1e-6, (backend, error)


def test_a_pandas_dataframe_is_a_kernel_table():
    frame = pd.DataFrame({"x": [10.0, 20.0], "y": [12.0, 8.0], "sigma_x": [3.0, 5.0],
                          "sigma_y": [4.0, 5.0], "angle_deg": [30.0, 0.0],
                          "weight": [2.0, 1.0], "label": ["a", "b"]})
    rows = frame[["x", "y", "sigma_x", "sigma_y", "angle_deg", "weight"]].to_numpy()
    expected = gaussmap.render(rows, 32, 24, backend="cpu")
    assert np.array_equal(gaussmap.render(frame, 32, 24, backend="cpu"), expected)
    # Column order does not matter, names do; missing ones take the keyword defaults.
    shuffled = frame[["weight", "y", "x", "sigma_y", "sigma_x", "angle_deg"]]
    assert np.array_equal(gaussmap.render(shuffled, 32, 24, backend="cpu"), expected)
    centres = pd.DataFrame({"y": [12.0], "x": [10.0]})
    assert np.array_equal(gaussmap.render(centres, 32, 24, sigma=2.5, backend="cpu"),
                          gaussmap.render([[10, 12, 2.5]], 32, 24, backend="cpu"))


def test_to_xarray_labels_every_sample_with_its_coordinates():
    scene = gaussmap.Scene([[0.5, -1.0, 0.25]], 5, 3, extent=(0, 1, -2, 0), normalize="peak")
    values = scene.render(backend="reference")
    array = gaussmap.to_xarray(values, scene)
    assert isinstance(array, xarray.DataArray) and array.dims == ("y", "x")
    assert list(array.x.values) == [0, 0.25, 0.5, 0.75, 1.0]
    assert list(array.y.values) == [-2, -1, 0]
    assert array.sel(x=0.5, y=-1.0).item() == 1.0  # the kernel's centre
    assert array.attrs["normalize"] == "peak"
    tile = scene.render(backend="reference", window=(1, 1, 3, 2))
    part = gaussmap.to_xarray(tile, (0, 1, -2, 0), 5, 3, window=(1, 1, 3, 2))
    assert list(part.x.values) == [0.25, 0.5, 0.75] and list(part.y.values) == [-1, 0]
    assert part.sel(x=0.5, y=-1.0).item() == 1.0
    try:
        gaussmap.to_xarray(values[:2], scene)
    except ValueError as error:
        assert "does not match the grid's (3, 5)" in str(error)
    else:
        raise AssertionError("a wrong shape was accepted")


def readme_python_examples(readme: str, title: str = "Python") -> list[str]:
    """The ```python blocks of one of README.md's sections, in order."""
    section = readme.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_readme_python_example_runs_as_written_and_draws_the_heat_map(source_dir, tmp_path):
    blocks = readme_python_examples((source_dir / "README.md").read_text())
    assert len(blocks) >= 2, "the README's Python section lost its examples"
    env = dict(os.environ, MPLBACKEND="Agg")
    result = subprocess.run([sys.executable, "-c", "\n".join(blocks)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "(400, 400) float32" in result.stdout
    # The figure the example saves: the seed's heat map, bright where the kernels are.
    figure = tmp_path / "seed.png"
    assert figure.exists(), "the README's example should save seed.png"
    import matplotlib.image
    pixels = matplotlib.image.imread(figure)
    assert pixels.shape[0] > 300 and pixels.shape[1] > 300
    assert len(np.unique(pixels.reshape(-1, pixels.shape[2]), axis=0)) > 100  # a colour ramp


def test_the_readme_dask_example_runs_as_written(source_dir, tmp_path):
    blocks = readme_python_examples((source_dir / "README.md").read_text(),
                                    "Dask: maps larger than one render")
    assert len(blocks) == 1
    script = blocks[0] + "\nprint(heat.shape, heat[:2000, :2000].compute().max() > 1)\n"
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(40000, 40000) True"
