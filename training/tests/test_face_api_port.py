"""The PyTorch/ONNX port of face-api's expression network against face-api's own JavaScript on real photos."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

from mmstream_training.faces import convert_face_api
from mmstream_training.faces.face_api_reference import run_face_api
from mmstream_training.faces.reference_crops import CROPS, crop_rgb

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
PROBS_TOLERANCE = 1e-5      # measured ~5e-7: same float32 maths, different summation order
EMBEDDING_TOLERANCE = 1e-4  # embedding values reach ~2, so this is ~5e-5 relative


def require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: run ./mmstream setup (npm ci --prefix models, then the face-api conversion)")
    return path


@pytest.fixture(scope="module")
def crops() -> np.ndarray:
    require(MODELS_DIR / "node_modules" / "@vladmandic" / "face-api")
    return np.stack([crop_rgb(MODELS_DIR, c) for c in CROPS])  # (N,112,112,3) uint8


@pytest.fixture(scope="module")
def face_api(crops: np.ndarray) -> dict:
    return run_face_api(MODELS_DIR, crops)


@pytest.fixture(scope="module")
def session() -> ort.InferenceSession:
    path = require(convert_face_api.Paths.under(MODELS_DIR).output)
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def test_face_api_reference_runs_the_pinned_package(face_api: dict) -> None:
    assert face_api["face_api_version"] == convert_face_api.FACE_API_VERSION
    assert face_api["backend"] == "cpu"
    assert list(face_api["labels"]) == list(convert_face_api.LABELS)


def test_onnx_probabilities_match_face_api(session: ort.InferenceSession, crops: np.ndarray, face_api: dict) -> None:
    probs, _ = session.run(["probs", "embedding"], {"image": crops.astype(np.float32)})
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert np.abs(probs - face_api["probs"]).max() <= PROBS_TOLERANCE


def test_onnx_embedding_is_face_api_bottleneck(session: ort.InferenceSession, crops: np.ndarray, face_api: dict) -> None:
    _, embedding = session.run(["probs", "embedding"], {"image": crops.astype(np.float32)})
    assert embedding.shape == (len(CROPS), 256)
    assert np.abs(embedding - face_api["embedding"]).max() <= EMBEDDING_TOLERANCE


def test_crops_are_not_all_one_expression(face_api: dict) -> None:
    # Guards the comparison itself: identical outputs for every face would hide a port that ignores its input.
    assert np.ptp(face_api["probs"], axis=0).max() > 0.1


def test_pytorch_rebuild_matches_face_api(crops: np.ndarray, face_api: dict) -> None:
    net = convert_face_api.build(convert_face_api.Paths.under(MODELS_DIR))
    with torch.no_grad():
        probs, embedding = net(torch.from_numpy(crops.astype(np.float32)))
    assert np.abs(probs.numpy() - face_api["probs"]).max() <= PROBS_TOLERANCE
    assert np.abs(embedding.numpy() - face_api["embedding"]).max() <= EMBEDDING_TOLERANCE


def test_onnx_contract_has_named_io_and_dynamic_batch(session: ort.InferenceSession) -> None:
    (image,) = session.get_inputs()
    assert (image.name, image.type, image.shape[1:]) == ("image", "tensor(float)", [112, 112, 3])
    assert isinstance(image.shape[0], str)
    assert [(o.name, o.shape[1]) for o in session.get_outputs()] == [("probs", 7), ("embedding", 256)]
    probs, embedding = session.run(None, {"image": np.full((1, 112, 112, 3), 128, np.float32)})
    assert probs.shape == (1, 7) and embedding.shape == (1, 256)
    meta = {p.key: p.value for p in onnx.load(session._model_path).metadata_props}
    assert meta["labels"] == ",".join(convert_face_api.LABELS)


def test_conversion_is_skipped_when_inputs_are_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    output = require(convert_face_api.Paths.under(MODELS_DIR).output)
    before = output.stat().st_mtime_ns
    assert convert_face_api.main(["--models-dir", str(MODELS_DIR)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert output.stat().st_mtime_ns == before


def test_conversion_reruns_when_the_weights_change(tmp_path: Path) -> None:
    models = tmp_path / "models"
    source = convert_face_api.Paths.under(MODELS_DIR)
    copy = convert_face_api.Paths.under(models)
    copy.manifest.parent.mkdir(parents=True)
    shutil.copy(require(source.manifest), copy.manifest)
    shutil.copy(source.weights, copy.weights)
    assert convert_face_api.main(["--models-dir", str(models)]) == 0
    first = convert_face_api.recorded_digest(copy.output)

    weights = bytearray(copy.weights.read_bytes())
    weights[-1] ^= 1  # last byte of the fc bias
    copy.weights.write_bytes(bytes(weights))
    assert convert_face_api.main(["--models-dir", str(models)]) == 0
    assert convert_face_api.recorded_digest(copy.output) not in (None, first)


def test_missing_weights_fail_with_setup_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert convert_face_api.main(["--models-dir", str(tmp_path)]) == 2
    assert "run ./mmstream setup" in capsys.readouterr().err


def test_export_pads_inside_its_convolutions(session: ort.InferenceSession) -> None:
    # A separate Pad copies the whole activation; 16 of them cost a third of the network's time.
    ops = {node.op_type for node in onnx.load(session._model_path).graph.node}
    assert "Pad" not in ops and "Conv" in ops


def test_folding_asymmetric_zero_pads_keeps_the_outputs(tmp_path: Path) -> None:
    class Padded(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 4, 3, 2)

        def forward(self, x):
            return self.conv(torch.nn.functional.pad(x, (0, 1, 0, 1)))  # TF 'same' for stride 2: extra after

    net = Padded().eval()
    path = tmp_path / "padded.onnx"
    torch.onnx.export(net, (torch.zeros(1, 3, 8, 8),), str(path), input_names=["x"], output_names=["y"],
                      opset_version=convert_face_api.OPSET, dynamo=False)
    folded = convert_face_api.fold_zero_pads(convert_face_api.constant_folded(path))
    assert [n.op_type for n in folded.graph.node] == ["Conv"]
    x = np.random.default_rng(3).normal(size=(1, 3, 8, 8)).astype(np.float32)
    (y,) = ort.InferenceSession(folded.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"x": x})
    with torch.no_grad():
        expected = net(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(y, expected, atol=1e-6)
