"""schema/scene.schema.json against the scenes gaussmap ships and the parser's refusals.

Run by ctest (scene_schema_validation) with Debian's python3-jsonschema and pytest; GAUSSMAP_BINARY
names the built binary, GAUSSMAP_SOURCE_DIR the repository.
"""

import json
import os
import pathlib
import subprocess

import jsonschema
import pytest

SOURCE = pathlib.Path(os.environ["GAUSSMAP_SOURCE_DIR"])
BINARY = os.environ["GAUSSMAP_BINARY"]
SCHEMA_FILE = SOURCE / "schema" / "scene.schema.json"

# Bad scenes the schema cannot tell from good ones (the parser refuses them): each with why.
BEYOND_THE_SCHEMA = {
    "cov_not_positive_definite.json": "positive definiteness is arithmetic on the matrix",
    "cov_not_symmetric.json": "comparing two array items is not a schema keyword",
    "range_lo_not_below_hi.json": "comparing two array items is not a schema keyword",
    "too_many_pixels.json": "width * height is a product of two fields",
    "union_negative_weight.json": "depends on combine, normalize and the sigmas together",
    "union_value_above_one.json": "depends on combine, normalize and the sigmas together",
}
# Not JSON at all: a validator never sees them.
NOT_JSON = {"empty_file.json", "syntax_missing_comma.json", "syntax_nan.json",
            "syntax_truncated.json"}


def strict_json(text):
    """json.loads without Python's extensions (NaN, Infinity): what JSON itself allows."""

    def refuse(name):
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def shipped_scenes():
    scenes = sorted((SOURCE / "scenes").glob("*.json")) + sorted((SOURCE / "bench").glob("*.json"))
    scenes += sorted((SOURCE / "tests" / "data").glob("*.json"))
    assert len(scenes) >= 14
    return scenes


def bad_scenes():
    return sorted((SOURCE / "tests" / "data" / "bad").glob("*.json"))


def test_the_schema_command_prints_the_schema_file():
    result = subprocess.run([BINARY, "schema"], capture_output=True, check=True)
    assert result.stdout == SCHEMA_FILE.read_bytes()


@pytest.mark.parametrize("path", shipped_scenes(), ids=lambda p: p.name)
def test_every_shipped_scene_validates(validator, path):
    errors = [e.message for e in validator.iter_errors(strict_json(path.read_text("utf-8")))]
    assert errors == []


@pytest.mark.parametrize("path", bad_scenes(), ids=lambda p: p.name)
def test_a_bad_scene_fails_the_parser_and_the_schema(validator, path, tmp_path):
    parsed = subprocess.run([BINARY, "render", str(path), "-o", str(tmp_path / "x.npy"),
                             "--backend", "reference"], capture_output=True, text=True)
    assert parsed.returncode == 2, parsed.stderr
    assert not (tmp_path / "x.npy").exists()
    if path.name in NOT_JSON:
        with pytest.raises(ValueError):
            strict_json(path.read_text("utf-8"))
        return
    errors = list(validator.iter_errors(strict_json(path.read_text("utf-8"))))
    if path.name in BEYOND_THE_SCHEMA:
        assert errors == [], "the schema now catches it: take it off BEYOND_THE_SCHEMA"
    else:
        assert errors, "the schema accepts a scene the parser refuses"


def test_the_lists_name_only_existing_files():
    names = {p.name for p in bad_scenes()}
    assert set(BEYOND_THE_SCHEMA) <= names
    assert NOT_JSON <= names


def test_a_scene_with_a_schema_key_validates_and_renders(validator, tmp_path):
    scene = json.loads((SOURCE / "tests" / "data" / "small.json").read_text("utf-8"))
    scene = {"$schema": "../schema/scene.schema.json", **scene}
    assert list(validator.iter_errors(scene)) == []
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scene), encoding="utf-8")
    subprocess.run([BINARY, "render", str(path), "-o", str(tmp_path / "s.npy"), "--backend",
                    "cpu"], check=True, capture_output=True)
