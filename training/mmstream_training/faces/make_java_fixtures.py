"""Write the reference fixture the Java ingest tests read: face-api's own JavaScript outputs (and the
ONNX port's, for information) on the fixed crops of reference_crops.py.

Usage (from training/): python -m mmstream_training.faces.make_java_fixtures --models-dir ../models
Output: ingest/src/test/resources/dev/mmstream/ingest/video/face_expression_reference.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort

from mmstream_training.faces import convert_face_api
from mmstream_training.faces.face_api_reference import run_face_api
from mmstream_training.faces.reference_crops import CROPS, DEMO_DIR, crc32, crop_rgb

REPO = Path(__file__).resolve().parents[3]
DEFAULT_OUT = REPO / "ingest/src/test/resources/dev/mmstream/ingest/video/face_expression_reference.json"


def rounded(values: np.ndarray) -> list[float]:
    return [float(f"{v:.9g}") for v in values.tolist()]  # 9 significant digits round-trip float32 exactly


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models-dir", type=Path, default=REPO / "models")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    pixels = np.stack([crop_rgb(args.models_dir, c) for c in CROPS])  # (N,112,112,3) uint8
    face_api = run_face_api(args.models_dir, pixels)
    onnx_path = convert_face_api.Paths.under(args.models_dir).output
    onnx_probs, _ = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"]).run(
        ["probs", "embedding"], {"image": pixels.astype(np.float32)})

    fixture = {
        "generated_by": "python -m mmstream_training.faces.make_java_fixtures (training/)",
        "reference": f"@vladmandic/face-api@{face_api['face_api_version']} dist/face-api.esm.js, "
                     f"TF.js {face_api['tfjs_version']} {face_api['backend']} backend (models/face_api_reference.mjs)",
        "crop_rule": "square of 112*factor pixels at (x, y) in the JPEG decoded to RGB, reduced by a factor x factor "
                     "block mean rounded half up; crc32 over the 112x112x3 RGB bytes, row-major",
        "photo_dir": str(DEMO_DIR),
        "labels": list(convert_face_api.LABELS),
        "crops": [
            {
                "image": crop.image, "x": crop.x, "y": crop.y, "factor": crop.factor,
                "crc32": crc32(pixels[i]),
                "probs": rounded(face_api["probs"][i]),
                "embedding": rounded(face_api["embedding"][i]),
                "onnx_probs": rounded(onnx_probs[i]),
            }
            for i, crop in enumerate(CROPS)
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {args.out} ({len(CROPS)} crops)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
