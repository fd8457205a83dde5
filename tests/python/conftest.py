"""Shared fixtures: the built CLI and the source tree, as ctest passes them (python/CMakeLists.txt)."""
import os
import pathlib
import subprocess

import pytest


@pytest.fixture(scope="session")
def source_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get("GAUSSMAP_SOURCE_DIR", pathlib.Path(__file__).parents[2]))


@pytest.fixture(scope="session")
def cli():
    """Runs the gaussmap binary; GAUSSMAP_CLI must name it (ctest sets it), else the test fails."""
    path = os.environ.get("GAUSSMAP_CLI")
    assert path and os.path.exists(path), "GAUSSMAP_CLI must name the built gaussmap binary"

    def run(*args, check=True):
        return subprocess.run([path, *map(str, args)], capture_output=True, text=True, check=check)

    return run
