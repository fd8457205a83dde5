"""gaussmap.Scene: scene files in and out, fields, renders with overrides."""
import numpy as np
import pytest

import gaussmap


def test_loading_and_saving_keeps_the_scene(source_dir, tmp_path):
    scene = gaussmap.load_scene(source_dir / "scenes/seed.json")
    assert (scene.width, scene.height, scene.combine, scene.normalize) == (400, 400, "union", "pdf")
    assert scene.labels == ["kernel 1", "kernel 2"]
    np.testing.assert_array_equal(scene.kernels["sigma_y"], [20, 80])
    scene.save(tmp_path / "copy.json")
    again = gaussmap.load_scene(tmp_path / "copy.json")
    assert again.to_json() == scene.to_json()
    assert np.array_equal(again.render(backend="cpu"), scene.render(backend="cpu"))


def test_fields_edit_the_scene_and_reject_bad_values():
    scene = gaussmap.Scene([[5, 5, 2]], 16, 12, normalize="peak")
    scene.cutoff = 3
    scene.extent = (0, 15, 0, 22)
    scene.range = (0, 2)
    text = scene.to_json()
    back = gaussmap.Scene.from_json(text)
    assert (back.cutoff, back.extent, back.range, back.normalize) == (3, (0, 15, 0, 22), (0, 2), "peak")
    with pytest.raises(ValueError, match="normalize: unknown value 'gauss'"):
        scene.normalize = "gauss"
    with pytest.raises(TypeError, match="unknown scene field 'cutof'"):
        gaussmap.Scene([[1, 1]], 4, 4, cutof=3)
    with pytest.raises(ValueError, match=r"bad\.json:.*kernels\[0\]\.sigmax: unknown key \(did you mean 'sigma_x'\?\)"):
        gaussmap.Scene.from_json('{"width": 4, "height": 4, "kernels": [{"x": 1, "y": 1, "sigmax": 2}]}',
                                 "bad.json")
    with pytest.raises(ValueError, match="missing.json"):
        gaussmap.load_scene("missing.json")


def test_render_overrides_apply_to_a_copy(source_dir):
    scene = gaussmap.load_scene(source_dir / "scenes/seed.json")
    small = scene.render(width=100, height=100, extent=(0, 399, 0, 399), backend="cpu")
    assert small.shape == (100, 100) and scene.width == 400
    whole = scene.render(backend="cpu")
    # Sample 33 of the 100 lies at 33 * 399/99 = 133: the same point as sample 133 of the 400.
    assert abs(small[33, 33] - whole[133, 133]) < 1e-9
    moved = scene.render(kernels=[[100, 100, 20]], backend="cpu")
    assert np.unravel_index(np.argmax(moved), moved.shape) == (100, 100)
    assert scene.kernel_count == 2


def test_a_cov_kernel_renders_as_in_the_file(cli, tmp_path):
    path = tmp_path / "cov.json"
    path.write_text('{"width": 64, "height": 48, "kernels": '
                    '[{"x": 30, "y": 20, "cov": [[40, 12], [12, 90]], "weight": 0.5}]}')
    cli("render", path, "--backend", "cpu", "-o", tmp_path / "cov.npy")
    assert np.array_equal(gaussmap.load_scene(path).render(backend="cpu"), np.load(tmp_path / "cov.npy"))


def test_the_readme_python_example_runs(source_dir):
    import os
    import re
    import subprocess
    import sys

    readme = (source_dir / "README.md").read_text()
    section = readme[readme.index("## Python\n"):readme.index("## The math\n")]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    # matplotlib is no build dependency: the blocks that plot are for readers who have it.
    runnable = [b for b in blocks if "matplotlib" not in b]
    assert runnable, "the README's Python section lost its example"
    done = subprocess.run([sys.executable, "-c", "\n".join(runnable)], capture_output=True,
                          text=True, cwd=source_dir, env=os.environ, check=True)
    assert done.stdout.startswith("(400, 400) float32 ")
