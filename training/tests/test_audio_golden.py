"""Framing helpers of the audio golden generator and the committed fixtures it wrote (fast: no pyin, no espeak)."""
import gzip
import json
from pathlib import Path

import numpy as np

from mmstream_training.golden import audio_golden as ag

FIXTURES = Path(__file__).resolve().parents[2] / "ingest/src/test/resources/golden/audio"
SPEC = ag.GoldenSpec()


def test_frames_cover_every_sample_start():
    assert ag.frames_of(40_000, SPEC) == 250
    assert ag.frames_of(40_001, SPEC) == 251
    assert ag.frames_of(100, SPEC) == 1
    assert len(ag.padded(np.zeros(40_000), SPEC)) == 249 * 160 + 400


def test_reference_logmel_has_one_row_per_frame_and_floors_silence():
    logmel = ag.reference_logmel(np.zeros(4_000), SPEC)
    assert logmel.shape == (25, 64)
    assert np.all(logmel == np.log(SPEC.mel_floor))


def test_quantize_is_exact_in_float32():
    q = ag.quantize(np.array([0.5, -1.0, 1.0, 1e-6]))
    assert q.tolist() == [16384, -32768, 32767, 0]
    assert np.array_equal(q.astype(np.float32) / np.float32(32768), q.astype(np.float64) / 32768)


def test_committed_fixtures_are_consistent_and_small():
    manifest = json.loads((FIXTURES / "golden.json").read_text())
    assert sum(f.stat().st_size for f in FIXTURES.iterdir()) < 200 * 1024
    for name, entry in manifest["signals"].items():
        logmel = np.frombuffer(gzip.decompress((FIXTURES / f"{name}.logmel.f32.gz").read_bytes()), "<f4")
        assert entry["frames"] == ag.frames_of(entry["samples"], SPEC)
        assert logmel.size == entry["frames"] * SPEC.n_mels
        assert len(entry["energy_dbfs"]) == entry["frames"]
    basis = np.frombuffer(gzip.decompress((FIXTURES / "mel_basis.f32.gz").read_bytes()), "<f4")
    assert basis.size == 64 * 201
