"""Shared by train, evaluate and export: device choice, batched prediction, the saved model bundle."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import torch

from mmstream_training.data import Dataset
from mmstream_training.models import FusionModel, ModelConfig

BUNDLE = "model.pt"  # best weights + everything evaluate and export need
CHECKPOINT = "checkpoint.pt"  # last epoch's full training state, for --resume


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda asked for, but PyTorch sees no CUDA device; use --device cpu or auto")
    if name not in ("cpu", "cuda"):
        raise SystemExit(f"--device must be cpu, cuda or auto, got {name!r}")
    return torch.device(name)


def git_commit() -> str:
    """Commit of the training code, with '-dirty' when it has uncommitted changes; 'unknown' outside git."""
    here = Path(__file__).resolve().parent
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "."], cwd=here, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return sha + ("-dirty" if dirty else "")


@torch.no_grad()
def predict(model: FusionModel, dataset: Dataset, indices: np.ndarray, device: torch.device,
            batch_size: int = 256) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """probs (N,C), gates (N,M) and logits (N,C) in eval mode; empty arrays for no indices."""
    model.eval()
    if len(indices) == 0:
        c, m = model.cfg.n_labels, len(model.cfg.gate_names)
        return np.zeros((0, c), np.float32), np.zeros((0, m), np.float32), np.zeros((0, c), np.float32)
    probs, gates, logits = [], [], []
    for start in range(0, len(indices), batch_size):
        batch = dataset.batch(indices[start : start + batch_size], pad_to_max=False).to(device)
        lg, g = model.forward_logits(*batch.inputs(model.cfg.catalogue))
        logits.append(lg.cpu().numpy())
        probs.append(torch.sigmoid(lg).cpu().numpy())
        gates.append(g.cpu().numpy())
    return np.concatenate(probs), np.concatenate(gates), np.concatenate(logits)


def load_bundle(model_dir: Path | str, device: torch.device | None = None) -> tuple[FusionModel, dict]:
    path = Path(model_dir) / BUNDLE
    if not path.is_file():
        raise SystemExit(f"{path} not found: point --model at a directory written by `mmstream train`")
    bundle = torch.load(path, map_location="cpu", weights_only=False)
    model = FusionModel(ModelConfig.from_dict(bundle["model_config"]))
    model.load_state_dict(bundle["state_dict"])
    return model.to(device or torch.device("cpu")).eval(), bundle
