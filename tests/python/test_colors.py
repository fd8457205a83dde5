"""colorize equals the PNG's colours; imshow_extent centres each sample's cell on it."""
import numpy as np
import pytest

import gaussmap
from png_reader import read_png, read_rgb_png


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


@pytest.mark.parametrize("alpha", ["ramp", "threshold:2e-4"])
def test_colorize_with_alpha_equals_the_rgba_png(cli, source_dir, tmp_path, alpha):
    png = tmp_path / "seed.png"
    cli("render", source_dir / "scenes/seed.json", "--backend", "cpu", "--size", "120x90",
        "--origin", "lower", "--alpha", alpha, "-o", png)
    scene = gaussmap.load_scene(source_dir / "scenes/seed.json")
    values = scene.render(width=120, height=90, extent=scene.effective_extent, backend="cpu")
    rgba = gaussmap.colorize(values, origin="lower", alpha=alpha)
    assert rgba.dtype == np.uint8 and rgba.shape == (90, 120, 4)
    assert np.array_equal(rgba, read_png(png))
    assert np.array_equal(rgba[..., :3], gaussmap.colorize(values, origin="lower"))
    if alpha == "ramp":  # opacity = round(255 t), rows flipped like the colours
        t = (values - values.min()) / (values.max() - values.min())
        assert np.abs(rgba[::-1, :, 3] - 255 * t).max() <= 0.5 + 1e-6
    else:
        assert np.array_equal(rgba[::-1, :, 3] == 255, values >= np.float32(2e-4))
        assert np.array_equal(gaussmap.colorize(values, origin="lower", alpha=("threshold", 2e-4)),
                              rgba)


def test_colorize_symmetric_range_centres_zero_and_bad_alpha_is_a_value_error():
    values = np.array([[-2.0, 0.0, 1.0]])
    grey = gaussmap.colorize(values, "gray", range="symmetric")[0, :, 0].tolist()
    assert grey[0] == 0 and grey[1] in (127, 128) and grey[2] == 191  # [-2, 2]: 0 in the middle
    reversed_grey = gaussmap.colorize(values, "gray_r", range="symmetric")[0, :, 0].tolist()
    assert reversed_grey[0] == 255 and reversed_grey[1] in (127, 128) and reversed_grey[2] == 64
    for bad in ["fade", "threshold:x", ("threshold",), 3]:
        with pytest.raises(ValueError, match="alpha"):
            gaussmap.colorize(values, alpha=bad)
    with pytest.raises(ValueError, match="'auto', 'symmetric' or \\(lo, hi\\)"):
        gaussmap.colorize(values, range="widest")
    # The scene's display rules hold here too: no symmetric range on a log scale, lo < hi.
    with pytest.raises(ValueError, match="symmetric.*log"):
        gaussmap.colorize(values, range="symmetric", scale="log")
    with pytest.raises(ValueError, match="lo must be below hi"):
        gaussmap.colorize(values, range=(1, 0))


def test_scene_range_symmetric_matches_the_cli(cli, source_dir, tmp_path):
    scene = gaussmap.load_scene(source_dir / "scenes/signed_sum.json")
    scene.range = "symmetric"
    scene.colormap = "RdBu_r"
    assert scene.range == "symmetric"
    png = tmp_path / "signed.png"
    cli("render", source_dir / "scenes/signed_sum.json", "--backend", "cpu", "--colormap", "RdBu_r",
        "--range", "symmetric", "-o", png)
    values = scene.render(backend="cpu")
    rgb = gaussmap.colorize(values, scene.colormap, range=scene.range, origin=scene.origin)
    assert np.array_equal(rgb, read_rgb_png(png))
    scene.range = "auto"
    assert scene.range == "auto"


def test_imshow_extent_adds_half_a_sample_on_each_side():
    assert gaussmap.imshow_extent((0, 399, 0, 399), 400, 400) == (-0.5, 399.5, 399.5, -0.5)
    assert gaussmap.imshow_extent((0, 1, -2, 0), 5, 3, origin="lower") == (-0.125, 1.125, -2.5, 0.5)
    scene = gaussmap.Scene([[1, 1]], 10, 1, extent=(10, 0, 3, 3))
    assert gaussmap.imshow_extent(scene) == (10 + 5 / 9, -5 / 9, 3.5, 2.5)
