"""Ablation: unimodal, bimodal, baseline (MulT-GMU) and hybrid models over several seeds, one markdown table.

  python -m mmstream_training.ablate --task emotion --data DATASET --seeds 3 --out DIR [--epochs N] [--jobs N] [--resume]

Unimodal and bimodal rows are the baseline architecture with the other modalities masked out."""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
import torch

from mmstream_training import MODALITIES
from mmstream_training.data import DatasetError, load_datasets
from mmstream_training.inference import CHECKPOINT
from mmstream_training.metrics import HEADLINE
from mmstream_training.train import TrainConfig, finished, main as train

VARIANTS = (
    ("text", "baseline", ("text",)),
    ("audio", "baseline", ("audio",)),
    ("video", "baseline", ("video",)),
    ("text+audio", "baseline", ("text", "audio")),
    ("text+video", "baseline", ("text", "video")),
    ("audio+video", "baseline", ("audio", "video")),
    ("baseline (MulT-GMU)", "baseline", ("text", "audio", "video")),
    ("hybrid", "hybrid", ("text", "audio", "video")),
)


def run(task: str, data, out: Path, seeds: int, epochs: int | None = None, device: str = "auto",
        log=print, jobs: int = 1, resume: bool = False) -> str:
    """`data`: one dataset folder or several (sources). A variant that only uses modalities no window has (text
    on a speech corpus) is not trained; its row says so."""
    out.mkdir(parents=True, exist_ok=True)
    data = (data,) if isinstance(data, (str, Path)) else tuple(data)
    present = present_modalities(data, task)
    overrides = {"max_epochs": epochs} if epochs else {}
    runs = [(name, seed, TrainConfig.for_task(task, data=data, out=str(out / name.split(" ")[0] / f"seed{seed}"),
                                             arch=arch, modalities=modalities, seed=seed, device=device,
                                             export=False, **overrides))
            for name, arch, modalities in VARIANTS if set(modalities) & present for seed in range(seeds)]
    if jobs > 1:
        # One process per run, one thread each: these small models keep two cores busier as two single-threaded
        # trainings than as one two-threaded one.
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=torch.set_num_threads, initargs=(1,)) as pool:
            futures = {pool.submit(_train_quietly, cfg, resume): i for i, (_, _, cfg) in enumerate(runs)}
            results = [None] * len(runs)
            for done, future in enumerate(as_completed(futures), start=1):
                i = futures[future]
                results[i] = future.result()
                name, seed, _ = runs[i]
                log(f"== {done}/{len(runs)} {name}, seed {seed}: best epoch {results[i].best_epoch}, "
                    f"{results[i].train_seconds:.0f} s; test "
                    + "  ".join(f"{k} {results[i].test_metrics[k]:.4f}" for k in HEADLINE[task]))
    else:
        results = []
        for name, seed, cfg in runs:
            log(f"== {name}, seed {seed}")
            results.append(_train(cfg, resume, log))
    rows = []
    for name, _, modalities in VARIANTS:
        if not set(modalities) & present:
            rows.append((f"{name} (not trained: no window has {' or '.join(modalities)})", None))
            continue
        scores = {k: [r.test_metrics.get(k, float("nan")) for (n, _, _), r in zip(runs, results) if n == name]
                  for k in HEADLINE[task]}
        rows.append((name, scores))
    table = markdown_table(task, rows, seeds)
    (out / "ablation.md").write_text(table + "\n")
    return table


def present_modalities(data: tuple, task: str) -> set[str]:
    dataset = load_datasets(data, task)
    return {m for m in MODALITIES if any(x.shape[0] for x in dataset.steps[m])}


def _train(cfg: TrainConfig, resume: bool, log):
    """With resume, a run that finished with these settings is read back, an interrupted one continues from
    its checkpoint: a long ablation survives being stopped."""
    if resume:
        done = finished(cfg)
        if done is not None:
            log(f"reusing the finished run in {cfg.out}")
            return done
        if (Path(cfg.out) / CHECKPOINT).is_file():
            return train(cfg, resume=True, log=log)
    return train(cfg, log=log)


def _train_quietly(cfg: TrainConfig, resume: bool):
    return _train(cfg, resume, log=lambda *args: None)


def markdown_table(task: str, rows, seeds: int) -> str:
    keys = HEADLINE[task]
    lines = [f"Test metrics, mean ± std over {seeds} seed(s) (std: sample standard deviation; 0 for one seed).", "",
             "| model | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
    for name, scores in rows:
        if scores is None:
            lines.append(f"| {name} | " + " | ".join("–" for _ in keys) + " |")
            continue
        cells = []
        for k in keys:
            v = np.array(scores[k], dtype=float)
            std = float(np.nanstd(v, ddof=1)) if np.isfinite(v).sum() > 1 else 0.0
            cells.append("n/a" if not np.isfinite(v).any() else f"{np.nanmean(v):.4f} ± {std:.4f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="mmstream ablate", description=__doc__.split("\n\n")[0])
    p.add_argument("--task", required=True, choices=["emotion", "genre"],
                   help="emotion: six labels per window; genre: 13 genres per trailer")
    p.add_argument("--data", required=True, action="append",
                   help="dataset folder written by `mmstream extract` (NAME=DIR names the source); repeatable")
    p.add_argument("--out", required=True, type=Path, help="folder for every run and the tables (ablation.md)")
    p.add_argument("--seeds", type=int, default=3, help="trainings per model, seeds 0..N-1 (default: 3)")
    p.add_argument("--epochs", type=int, help="maximum epochs per run (default: the task's)")
    p.add_argument("--device", default="auto", help="cpu, cuda or auto (default: auto)")
    p.add_argument("--jobs", type=int, default=1,
                   help="runs in parallel, one process and thread each (CPU); 2 on a 2-core machine (default: 1)")
    p.add_argument("--resume", action="store_true",
                   help="reuse runs that finished with the same settings; continue interrupted ones from their checkpoints")
    a = p.parse_args(argv)
    try:
        print(run(a.task, a.data, a.out, a.seeds, a.epochs, a.device, jobs=a.jobs, resume=a.resume))
    except DatasetError as e:
        print(f"mmstream ablate: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
