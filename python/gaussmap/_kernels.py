"""Kernels as users have them (arrays, columns, rows) turned into the scene's six float64 columns."""
from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import numpy as np

#: Columns of an (N, k) kernel array, in order; k = 2..6 takes the first k.
ARRAY_COLUMNS = ("x", "y", "sigma_x", "sigma_y", "angle_deg", "weight")
#: Names a dict, structured array, DataFrame or row may use (the scene file's kernel fields).
NAMED_COLUMNS = ("x", "y", "sigma", "sigma_x", "sigma_y", "angle_deg", "weight", "label")


def _numbers(values: Any, name: str) -> np.ndarray:
    """A float64 column, or TypeError naming the column (and the row, for a non-number)."""
    array = np.asarray(values)
    if array.dtype.kind in "iuf":
        return np.ascontiguousarray(array, dtype=np.float64).reshape(-1)
    if array.dtype.kind == "O":
        out = np.empty(array.size, dtype=np.float64)
        for row, value in enumerate(array.reshape(-1)):
            out[row] = _number(value, f"kernels[{row}].{name}")
        return out
    raise TypeError(f"kernels: column '{name}' must hold numbers (got dtype {array.dtype})")


def _number(value: Any, where: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{where}: expected a number (got {value!r})")
    if isinstance(value, np.complexfloating):
        raise TypeError(f"{where}: expected a real number (got {value!r})")
    return float(value)


def _unknown(name: str, where: str) -> ValueError:
    close = difflib.get_close_matches(name, NAMED_COLUMNS, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return ValueError(f"{where}: unknown key{hint}; kernels take {', '.join(NAMED_COLUMNS)}")


def _from_named(columns: Mapping[str, Any], sigma: float, weight: float) -> dict[str, Any]:
    for name in columns:
        if name not in NAMED_COLUMNS:
            raise _unknown(str(name), f"kernels.{name}")
    for required in ("x", "y"):
        if required not in columns:
            raise ValueError(f"kernels: missing required column '{required}'")
    if "sigma" in columns and ("sigma_x" in columns or "sigma_y" in columns):
        raise ValueError("kernels: give either 'sigma' or 'sigma_x' and 'sigma_y', not both")
    x = _numbers(columns["x"], "x")
    n = x.size

    def column(name: str, default: Any) -> np.ndarray:
        values = _numbers(columns[name], name) if name in columns else np.full(n, default, np.float64)
        if values.size != n:
            raise ValueError(f"kernels: column '{name}' has {values.size} values, 'x' has {n}")
        return values

    base_sigma = column("sigma", sigma)
    out = {
        "x": x,
        "y": column("y", 0.0),
        "sigma_x": column("sigma_x", 0.0) if "sigma_x" in columns else base_sigma,
        "sigma_y": column("sigma_y", 0.0) if "sigma_y" in columns else base_sigma,
        "angle_deg": column("angle_deg", 0.0),
        "weight": column("weight", weight),
    }
    if "sigma_x" in columns or "sigma_y" in columns:
        for required in ("sigma_x", "sigma_y"):
            if required not in columns:
                raise ValueError(f"kernels: missing column '{required}' (or give 'sigma' for both)")
    if "label" in columns:
        labels = [str(label) for label in np.asarray(columns["label"], dtype=object).reshape(-1)]
        if len(labels) != n:
            raise ValueError(f"kernels: column 'label' has {len(labels)} values, 'x' has {n}")
        out["labels"] = labels
    return out


def _from_rows(rows: list[Any], sigma: float, weight: float) -> dict[str, Any]:
    n = len(rows)
    cols = {name: np.empty(n, np.float64) for name in ARRAY_COLUMNS}
    labels = []
    for row, kernel in enumerate(rows):
        at = f"kernels[{row}]"
        if not isinstance(kernel, Mapping):
            raise TypeError(f"{at}: expected a dict like {{'x': 1, 'y': 2, 'sigma': 3}} (got {kernel!r})")
        for name in kernel:
            if name not in NAMED_COLUMNS:
                raise _unknown(str(name), f"{at}.{name}")
        for required in ("x", "y"):
            if required not in kernel:
                raise ValueError(f"{at}: missing required field '{required}'")
        has_axes = "sigma_x" in kernel or "sigma_y" in kernel
        if "sigma" in kernel and has_axes:
            raise ValueError(f"{at}: give either 'sigma' or 'sigma_x' and 'sigma_y', not both")
        if has_axes:
            for required in ("sigma_x", "sigma_y"):
                if required not in kernel:
                    raise ValueError(f"{at}: missing required field '{required}' (or give 'sigma' for both)")
            sx, sy = (_number(kernel[k], f"{at}.{k}") for k in ("sigma_x", "sigma_y"))
        else:
            sx = sy = _number(kernel.get("sigma", sigma), f"{at}.sigma")
        cols["x"][row] = _number(kernel["x"], f"{at}.x")
        cols["y"][row] = _number(kernel["y"], f"{at}.y")
        cols["sigma_x"][row], cols["sigma_y"][row] = sx, sy
        cols["angle_deg"][row] = _number(kernel.get("angle_deg", 0.0), f"{at}.angle_deg")
        cols["weight"][row] = _number(kernel.get("weight", weight), f"{at}.weight")
        labels.append(str(kernel.get("label", "")))
    out: dict[str, Any] = dict(cols)
    if any(labels):
        out["labels"] = labels
    return out


def _from_array(array: np.ndarray, sigma: float, weight: float) -> dict[str, Any]:
    if array.dtype.kind not in "iuf":
        raise TypeError(f"kernels: an array of kernels must hold numbers (got dtype {array.dtype})")
    if array.ndim != 2 or not 2 <= array.shape[1] <= 6:
        raise ValueError(
            "kernels: an array must have shape (N, 2..6), columns x, y[, sigma_x, sigma_y, "
            f"angle_deg, weight] (got shape {array.shape})")
    array = np.asarray(array, dtype=np.float64)
    n, k = array.shape
    out = {name: np.ascontiguousarray(array[:, c]) for c, name in enumerate(ARRAY_COLUMNS[:k])}
    if k == 3:  # x, y, sigma: one sigma for both axes
        out["sigma_y"] = out["sigma_x"]
    out.setdefault("sigma_x", np.full(n, sigma, np.float64))
    out.setdefault("sigma_y", np.full(n, sigma, np.float64))
    out.setdefault("angle_deg", np.zeros(n, np.float64))
    out.setdefault("weight", np.full(n, weight, np.float64))
    return out


def kernel_columns(kernels: Any, sigma: float = 1.0, weight: float = 1.0) -> dict[str, Any]:
    """The kernels as the columns x, y, sigma_x, sigma_y, angle_deg, weight (float64), plus
    'labels' when given. Raises TypeError for wrong types, ValueError for wrong shapes or names."""
    sigma = _number(sigma, "sigma")
    weight = _number(weight, "weight")
    if kernels is None:
        kernels = np.empty((0, 2))
    if isinstance(kernels, np.ndarray) and kernels.dtype.names:  # structured array
        return _from_named({name: kernels[name] for name in kernels.dtype.names}, sigma, weight)
    if hasattr(kernels, "columns") and hasattr(kernels, "to_numpy"):  # a pandas DataFrame
        return _from_named({str(c): kernels[c].to_numpy() for c in kernels.columns}, sigma, weight)
    if isinstance(kernels, Mapping):
        return _from_named(kernels, sigma, weight)
    if isinstance(kernels, (list, tuple)) and kernels and isinstance(kernels[0], Mapping):
        return _from_rows(list(kernels), sigma, weight)
    if isinstance(kernels, (list, tuple)) and not kernels:
        kernels = np.empty((0, 2))
    if isinstance(kernels, (list, tuple)) and len({_row_length(row) for row in kernels}) > 1:
        return _from_ragged_rows(list(kernels), sigma, weight)
    return _from_array(np.asarray(kernels), sigma, weight)


def _row_length(row: Any) -> int:
    return len(row) if isinstance(row, (list, tuple, np.ndarray)) else -1


def _from_ragged_rows(rows: list[Any], sigma: float, weight: float) -> dict[str, Any]:
    """Rows of different lengths ([[x, y, sigma], [x, y, sigma_x, sigma_y]]): each row means
    what an array with its number of columns means."""
    parts = []
    for row, kernel in enumerate(rows):
        array = np.asarray(kernel)
        if array.ndim != 1:
            raise ValueError(f"kernels[{row}]: expected a row of 2..6 numbers (got {kernel!r})")
        try:
            parts.append(_from_array(array[None, :], sigma, weight))
        except (TypeError, ValueError) as error:
            raise type(error)(f"kernels[{row}]: {error}") from None
    return {name: np.concatenate([p[name] for p in parts]) for name in ARRAY_COLUMNS}
