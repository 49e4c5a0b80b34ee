"""Run face-api's own JavaScript (models/face_api_reference.mjs, TF.js CPU backend) on RGB crops."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

SCRIPT = "face_api_reference.mjs"
PACKAGE = Path("node_modules") / "@vladmandic" / "face-api" / "dist" / "face-api.esm.js"


def run_face_api(models_dir: Path, crops: np.ndarray) -> dict:
    """crops: uint8 (N,112,112,3) RGB -> {"probs": (N,7), "embedding": (N,256), "face_api_version": ...}."""
    if crops.dtype != np.uint8 or crops.ndim != 4 or crops.shape[1:] != (112, 112, 3):
        raise ValueError(f"expected uint8 crops (N,112,112,3), got {crops.dtype} {crops.shape}")
    if not (models_dir / PACKAGE).is_file():
        raise FileNotFoundError(f"{models_dir / PACKAGE} is missing: run ./mmstream setup")
    node = shutil.which("node")
    if node is None:
        raise FileNotFoundError("node is not on PATH: install Node.js 20 (./mmstream setup needs it too)")
    with tempfile.TemporaryDirectory() as tmp:
        crops_path, out_path = Path(tmp) / "crops.rgb", Path(tmp) / "reference.json"
        crops_path.write_bytes(np.ascontiguousarray(crops).tobytes())
        done = subprocess.run([node, str(models_dir / SCRIPT), str(crops_path), str(out_path)],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"{SCRIPT} failed ({done.returncode}): {done.stderr.strip()}")
        result = json.loads(out_path.read_text())
    result["probs"] = np.asarray(result["probs"], dtype=np.float32)
    result["embedding"] = np.asarray(result["embedding"], dtype=np.float32)
    return result
