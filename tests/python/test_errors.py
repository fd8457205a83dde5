"""Bad input: TypeError for wrong types, ValueError naming the row and column as the CLI does."""
import json

import numpy as np
import pytest

import gaussmap


def test_a_bad_sigma_names_the_kernel_and_field_as_the_cli_does(cli, tmp_path):
    kernels = [{"x": 1, "y": 2, "sigma": 3}, {"x": 4, "y": 5, "sigma_x": -1, "sigma_y": 2}]
    with pytest.raises(ValueError) as error:
        gaussmap.render(kernels, 10, 10)
    scene = tmp_path / "bad.json"
    scene.write_text(json.dumps({"width": 10, "height": 10, "kernels": kernels}))
    cli_error = cli("render", scene, "-o", tmp_path / "x.npy", check=False)
    assert cli_error.returncode == 2
    assert "kernels[1].sigma_x: must be > 0 (got -1)" in str(error.value)
    assert str(error.value) in cli_error.stderr


def test_non_finite_and_union_values_name_the_row():
    with pytest.raises(ValueError, match=r"kernels\[2\]\.x"):
        gaussmap.render(np.array([[1, 1], [2, 2], [np.nan, 3]]), 8, 8)
    with pytest.raises(ValueError, match=r"kernels\[0\]"):
        gaussmap.render([[4, 4, 1, 1, 0, 5]], 8, 8, combine="union", normalize="peak")


def test_wrong_types_raise_type_error_naming_the_place():
    with pytest.raises(TypeError, match=r"kernels\[1\]\.y: expected a number \(got 'a'\)"):
        gaussmap.render([{"x": 1, "y": 2}, {"x": 1, "y": "a"}], 8, 8)
    with pytest.raises(TypeError, match="column 'sigma' must hold numbers"):
        gaussmap.render({"x": [1.0], "y": [2.0], "sigma": ["wide"]}, 8, 8)
    with pytest.raises(TypeError, match="must hold numbers"):
        gaussmap.render(np.array([["1", "2"]]), 8, 8)
    with pytest.raises(TypeError, match=r"width: expected an integer number of samples \(got 8.5\)"):
        gaussmap.render([[1, 1]], 8.5, 8)
    assert gaussmap.render([[1, 1]], np.int64(8), 4).shape == (4, 8)


def test_wrong_shapes_and_names_raise_value_error():
    with pytest.raises(ValueError, match=r"shape \(N, 2..6\).*got shape \(3, 7\)"):
        gaussmap.render(np.zeros((3, 7)), 8, 8)
    with pytest.raises(ValueError, match=r"got shape \(4,\)"):
        gaussmap.render(np.zeros(4), 8, 8)
    with pytest.raises(ValueError, match=r"kernels\[0\]\.sigmax: unknown key \(did you mean 'sigma_x'\?\)"):
        gaussmap.render([{"x": 1, "y": 2, "sigmax": 3}], 8, 8)
    with pytest.raises(ValueError, match="column 'y' has 1 values, 'x' has 2"):
        gaussmap.render({"x": [1, 2], "y": [3]}, 8, 8)
    with pytest.raises(ValueError, match="give either 'sigma' or 'sigma_x' and 'sigma_y'"):
        gaussmap.render({"x": [1], "y": [3], "sigma": [1], "sigma_x": [2]}, 8, 8)


def test_bad_options_raise_value_error_listing_the_choices():
    with pytest.raises(ValueError, match=r"combine: unknown value 'or' \(expected one of 'sum', 'max', 'union'\)"):
        gaussmap.render([[1, 1]], 8, 8, combine="or")
    with pytest.raises(ValueError, match="backend: unknown value 'cuda'"):
        gaussmap.render([[1, 1]], 8, 8, backend="cuda")
    with pytest.raises(ValueError, match="width"):
        gaussmap.render([[1, 1]], 0, 8)
    with pytest.raises(ValueError, match="window"):
        gaussmap.render([[1, 1]], 8, 8, window=(4, 4, 8, 8))
