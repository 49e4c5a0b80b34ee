"""Ablation: unimodal, bimodal, baseline (MulT-GMU) and hybrid models over several seeds, one markdown table.

  python -m mmstream_training.ablate --task emotion --data DATASET --seeds 3 --out DIR [--epochs N] [--jobs N] [--resume]
      [--rows ROW,ROW,... | --rows catalogue]

Unimodal and bimodal rows are the baseline architecture with the other modalities masked out. For the genre
task on a dataset with catalogue inputs (dataset.json "catalogue"), four more rows add them: baseline + poster +
metadata, hybrid + poster, hybrid + metadata, hybrid + poster + metadata.

Each row trains into its own folder OUT/<key>/seed<N>; --rows picks rows by these keys (default: all):
  text, audio, video, text+audio, text+video, audio+video, baseline, hybrid,
  baseline+poster+metadata, hybrid+poster, hybrid+metadata, hybrid+poster+metadata
or by an alias: `catalogue` = baseline, hybrid and the four catalogue rows (the README's ablation, without the
unimodal and bimodal rows), e.g.
  python -m mmstream_training.ablate --task genre --data DATASET --seeds 3 --out DIR --jobs 2 --rows catalogue"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from mmstream_training import CATALOGUE, MODALITIES
from mmstream_training.data import DatasetError, load_datasets
from mmstream_training.inference import CHECKPOINT
from mmstream_training.metrics import HEADLINE
from mmstream_training.train import TrainConfig, finished, main as train


@dataclass(frozen=True)
class Variant:
    """One row of the table: its name there, its key (--rows, and the folder its runs train in) and model."""

    name: str
    key: str
    arch: str
    modalities: tuple[str, ...] = MODALITIES
    catalogue: tuple[str, ...] = ()  # catalogue inputs; the row is only run on a dataset that has them


VARIANTS = (
    Variant("text", "text", "baseline", ("text",)),
    Variant("audio", "audio", "baseline", ("audio",)),
    Variant("video", "video", "baseline", ("video",)),
    Variant("text+audio", "text+audio", "baseline", ("text", "audio")),
    Variant("text+video", "text+video", "baseline", ("text", "video")),
    Variant("audio+video", "audio+video", "baseline", ("audio", "video")),
    Variant("baseline (MulT-GMU)", "baseline", "baseline"),
    Variant("hybrid", "hybrid", "hybrid"),
    Variant("baseline + poster + metadata", "baseline+poster+metadata", "baseline", catalogue=("poster", "metadata")),
    Variant("hybrid + poster", "hybrid+poster", "hybrid", catalogue=("poster",)),
    Variant("hybrid + metadata", "hybrid+metadata", "hybrid", catalogue=("metadata",)),
    Variant("hybrid + poster + metadata", "hybrid+poster+metadata", "hybrid", catalogue=("poster", "metadata")),
)
assert len({v.key for v in VARIANTS}) == len(VARIANTS), "each row needs its own folder"
ROW_ALIASES = {
    "all": tuple(v.key for v in VARIANTS),
    "catalogue": ("baseline", "hybrid", "baseline+poster+metadata", "hybrid+poster", "hybrid+metadata",
                  "hybrid+poster+metadata"),
}


def select_rows(rows: str | None) -> tuple[Variant, ...]:
    """The variants named by --rows (keys and aliases, comma-separated), in the table's order; None: all."""
    if rows is None:
        return VARIANTS
    keys = set()
    for part in (r.strip() for r in rows.split(",")):
        if part in ROW_ALIASES:
            keys.update(ROW_ALIASES[part])
        elif part in {v.key for v in VARIANTS}:
            keys.add(part)
        elif part:
            raise ValueError(f"--rows: unknown row {part!r}; rows are {', '.join(v.key for v in VARIANTS)} "
                             f"or an alias ({', '.join(ROW_ALIASES)})")
    if not keys:
        raise ValueError(f"--rows {rows!r} names no row")
    return tuple(v for v in VARIANTS if v.key in keys)


def run(task: str, data, out: Path, seeds: int, epochs: int | None = None, device: str = "auto",
        log=print, jobs: int = 1, resume: bool = False, rows: str | None = None) -> str:
    """`data`: one dataset folder or several (sources); `rows`: as --rows (None: every row). A variant that only
    uses modalities no window has (text on a speech corpus) is not trained; its row says so. Catalogue rows are
    left out unless the task is genre and some window has their catalogue inputs; asking for one by its key or
    the `catalogue` alias then is an error."""
    out.mkdir(parents=True, exist_ok=True)
    data = (data,) if isinstance(data, (str, Path)) else tuple(data)
    chosen = select_rows(rows)
    present, catalogue = present_inputs(data, task)
    runnable = [v for v in chosen if set(v.catalogue) <= catalogue and (task == "genre" or not v.catalogue)]
    if rows is not None and "all" not in {r.strip() for r in rows.split(",")}:  # rows asked for by name
        unavailable = [v.key for v in chosen if v not in runnable]
        if unavailable:
            raise DatasetError(f"--rows {','.join(unavailable)}: needs catalogue inputs that the {task} dataset "
                               f"lacks (it has {', '.join(sorted(catalogue)) or 'none'})")
    overrides = {"max_epochs": epochs} if epochs else {}
    runs = [(v.name, seed, TrainConfig.for_task(task, data=data, out=str(out / v.key / f"seed{seed}"), arch=v.arch,
                                                modalities=v.modalities, catalogue=v.catalogue, seed=seed,
                                                device=device, export=False, **overrides))
            for v in runnable if set(v.modalities) & present for seed in range(seeds)]
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
    table_rows = []
    for v in runnable:
        if not set(v.modalities) & present:
            table_rows.append((f"{v.name} (not trained: no window has {' or '.join(v.modalities)})", None))
            continue
        scores = {k: [r.test_metrics.get(k, float("nan")) for (n, _, _), r in zip(runs, results) if n == v.name]
                  for k in HEADLINE[task]}
        table_rows.append((v.name, scores))
    table = markdown_table(task, table_rows, seeds)
    (out / "ablation.md").write_text(table + "\n")
    return table


def present_inputs(data: tuple, task: str) -> tuple[set[str], set[str]]:
    """The modalities some window has steps of, and the catalogue inputs the dataset lists (and some window has)."""
    dataset = load_datasets(data, task)
    modalities = {m for m in MODALITIES if any(x.shape[0] for x in dataset.steps[m])}
    catalogue = {c for c in CATALOGUE if c in dataset.catalogue_present and dataset.catalogue_present[c].any()}
    return modalities, catalogue


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
    p.add_argument("--rows", help="comma-separated row keys (" + ", ".join(v.key for v in VARIANTS) + ") or an alias: "
                                  "catalogue = baseline, hybrid and the four catalogue rows (default: every row)")
    a = p.parse_args(argv)
    try:
        select_rows(a.rows)
    except ValueError as e:
        p.error(str(e))
    try:
        print(run(a.task, a.data, a.out, a.seeds, a.epochs, a.device, jobs=a.jobs, resume=a.resume, rows=a.rows))
    except DatasetError as e:
        print(f"mmstream ablate: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
