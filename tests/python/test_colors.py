"""colorize equals the PNG's colours; imshow_extent centres each sample's cell on it."""
import numpy as np
import pytest

import gaussmap
from png_reader import read_rgb_png


@pytest.mark.parametrize("colormap,scale,origin", [("viridis", "linear", "upper"),
                                                   ("magma", "log", "lower"),
                                                   ("turbo", "sqrt", "upper")])
def test_colorize_equals_the_png(cli, source_dir, tmp_path, colormap, scale, origin):
    png = tmp_path / "seed.png"
    cli("render", source_dir / "scenes/seed.json", "--backend", "cpu", "--size", "120x90",
        "--colormap", colormap, "--scale", scale, "--origin", origin, "-o", png)
    scene = gaussmap.load_scene(source_dir / "scenes/seed.json")
    values = scene.render(width=120, height=90, extent=scene.effective_extent, backend="cpu")
    rgb = gaussmap.colorize(values, colormap, scale=scale, origin=origin)
    assert rgb.dtype == np.uint8 and rgb.shape == (90, 120, 3)
    assert np.array_equal(rgb, read_rgb_png(png))


def test_colorize_with_a_range_clamps_and_lists_colormaps():
    rgb = gaussmap.colorize(np.array([[-1.0, 0.0, 0.25, 1.0, 2.0]]), "gray", range=(0, 1))
    assert rgb[0, :, 0].tolist() == [0, 0, 64, 255, 255]
    assert {"viridis", "magma", "gray", "turbo"} <= set(gaussmap.colormaps())
    with pytest.raises(ValueError, match="colormap"):
        gaussmap.colorize(np.zeros((2, 2)), "jet")


def test_imshow_extent_adds_half_a_sample_on_each_side():
    assert gaussmap.imshow_extent((0, 399, 0, 399), 400, 400) == (-0.5, 399.5, 399.5, -0.5)
    assert gaussmap.imshow_extent((0, 1, -2, 0), 5, 3, origin="lower") == (-0.125, 1.125, -2.5, 0.5)
    scene = gaussmap.Scene([[1, 1]], 10, 1, extent=(10, 0, 3, 3))
    assert gaussmap.imshow_extent(scene) == (10 + 5 / 9, -5 / 9, 3.5, 2.5)
