"""The README's Python example decodes bytes written by the Java serde, with the .avsc files alone."""
import pathlib
import struct
import subprocess
import sys

import pytest

import decode_prediction

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "schemas" / "src" / "test" / "resources" / "golden" / "prediction.bin"


def test_decodes_the_java_golden_prediction():
    name, record = decode_prediction.decode(GOLDEN.read_bytes(), decode_prediction.load_schemas())
    assert name == "dev.mmstream.schema.v1.Prediction"
    assert record["stream_id"] == "stream-42"
    assert record["task"] == "EMOTION"
    assert [label["label"] for label in record["labels"]] == ["happy", "sad"]
    assert record["window_end_ms"] - record["window_start_ms"] == 4000


def test_reads_kcat_framed_values_from_stdin():
    value = GOLDEN.read_bytes()
    framed = struct.pack(">i", len(value)) + value + struct.pack(">i", len(value)) + value
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "decode_prediction.py"), "-"],
        input=framed, capture_output=True, check=True,
    ).stdout.decode().splitlines()
    assert len(out) == 2 and all('"stream-42"' in line for line in out)


def test_refuses_bytes_that_are_not_single_object_encoding():
    with pytest.raises(ValueError, match="single-object"):
        decode_prediction.decode(b"\x00\x01garbage-bytes", decode_prediction.load_schemas())


def test_refuses_an_unknown_fingerprint():
    value = bytearray(GOLDEN.read_bytes())
    value[2:10] = b"\x01" * 8
    with pytest.raises(ValueError, match="unknown schema fingerprint"):
        decode_prediction.decode(bytes(value), decode_prediction.load_schemas())


def test_the_readme_python_snippet_runs_and_decodes_the_golden_prediction():
    readme = (ROOT / "README.md").read_text()
    snippet = readme.split("```python\n", 1)[1].split("```", 1)[0]
    out = subprocess.run([sys.executable, "-c", snippet], cwd=ROOT, capture_output=True, check=True)
    assert b"'stream_id': 'stream-42'" in out.stdout
