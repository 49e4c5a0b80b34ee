"""Command line of the corpus generator (./mmstream synth calls it)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .corpus import CorpusConfig, default_jobs, generate
from .tools import ToolError


def parse(argv: list[str] | None) -> CorpusConfig:
    p = argparse.ArgumentParser(
        prog="mmstream synth",
        description="Generate a labelled corpus of real media files (H.264/AAC .mp4, SRT/VTT or "
                    "embedded captions, metadata JSON) and its manifest.csv. Deterministic for a seed.")
    p.add_argument("--task", required=True, choices=("emotion", "genre"),
                   help="emotion: 6-10 s talking-face clips, 6 labels; genre: 30-90 s trailers, 13 labels")
    p.add_argument("--count", required=True, type=int, help="number of clips")
    p.add_argument("--out", required=True, type=Path, help="output directory (manifest.csv goes here)")
    p.add_argument("--seed", required=True, type=int, help="corpus seed; same seed, same bytes")
    p.add_argument("--difficulty", type=float, default=0.5,
                   help="0..1, how noisy each modality is about the labels (default 0.5)")
    p.add_argument("--jobs", type=int, default=default_jobs(),
                   help="parallel worker processes (default: all cores); never changes the output")
    a = p.parse_args(argv)
    try:
        return CorpusConfig(a.task, a.count, a.out, a.seed, a.difficulty, a.jobs)
    except ValueError as e:
        p.error(str(e))
        raise


def main(argv: list[str] | None = None) -> int:
    cfg = parse(argv)
    started = time.perf_counter()
    try:
        manifest = generate(cfg)
    except ToolError as e:
        print(f"mmstream synth: {e}", file=sys.stderr)
        return 2
    print(f"wrote {cfg.count} {cfg.task} clips and {manifest} in {time.perf_counter() - started:.1f} s")
    return 0
