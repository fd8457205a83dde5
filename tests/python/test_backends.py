"""The gl backend through EGL (headless, llvmpipe in CI), and what auto reports."""
import numpy as np
import pytest

import gaussmap

KERNELS = np.array([[200, 200, 20, 20, 0, 1], [190, 210, 40, 80, 30, 1], [90, 300, 15, 5, -60, 0.5]])


@pytest.mark.parametrize("gl_path", ["loop", "footprint"])
def test_gl_through_egl_matches_the_reference(gl_path):
    reference = gaussmap.render(KERNELS, 400, 400, combine="union", backend="reference")
    values = gaussmap.render(KERNELS, 400, 400, combine="union", backend="gl", gl_path=gl_path)
    report = gaussmap.last_report()
    assert report["backend"] == "gl" and report["figures"]["gl_path"] == gl_path
    assert "EGL" in report["figures"]["gl_context"]
    assert np.max(np.abs(values - reference)) / reference.max() < 1e-5


def test_auto_reports_the_backend_it_chose_and_why():
    gaussmap.render(KERNELS, 64, 64, backend="auto")
    report = gaussmap.last_report()
    assert report["backend"] in ("gl", "cpu") and report["reason"]
    assert set(gaussmap.backends()) == {"auto", "gl", "cpu", "reference"}


def test_verify_reports_every_path_against_the_reference(source_dir):
    scene = gaussmap.load_scene(source_dir / "scenes/seed.json")
    result = gaussmap.verify(scene)
    assert set(result["paths"]) == {"gl loop", "gl footprint", "cpu"}
    assert result["passed"] and "EGL" in result["context"]
    assert all(0 < p["relative"] <= 1e-5 for p in result["paths"].values())
    strict = gaussmap.verify(scene, tol=1e-12)
    assert not strict["passed"] and not strict["paths"]["gl loop"]["ok"]
    with pytest.raises(ValueError, match="tol: must be > 0"):
        gaussmap.verify(scene, tol=0)
