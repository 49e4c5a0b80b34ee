"""The shipped emotion model and its evaluation on real people, from the corpora in their own formats.

  python -m mmstream_training.real pretrain --real ../shared/data/real [--work work/real] [--install] [--quick]
  python -m mmstream_training.real evaluate --real ../shared/data/real [--work work/real] [--quick]

Both prepare, once and resumably, under WORK: each corpus imported (`mmstream import`) and extracted with the
serving featurizers (`mmstream extract`), and the synthetic tri-modal corpus (1,000 clips, seed 7) generated and
extracted. `pretrain` trains one hybrid model on all four sources (RECIPE) and with --install writes it to
models/pretrained/emotion.onnx. `evaluate` also trains one model per EmoDB speaker left out (the recipe again,
that speaker as test, the next one as val) and prints, per source, the seed paper's Table 1-2 layout: EmoDB
speaker-independent (mean ± std over the 7 folds), MELD dev, GoEmotions dev, the synthetic test split.
--quick does all of it on a few items per corpus, two folds and one short epoch: a check that the path works,
not a measurement."""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import torch

from mmstream_corpora import cli as corpora
from mmstream_training.baselines import emodb_baseline, text_baseline
from mmstream_training.data import load_datasets
from mmstream_training.train import TrainConfig, TrainResult, finished, main as train
from mmstream_training.inference import CHECKPOINT
from mmstream_training.tables import SUMMARY_HEADER, emotion_table, summary_row

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ("emodb", "meld", "goemotions")
EMODB_SPEAKERS = ("03", "08", "09", "10", "11", "12", "13")  # the ones ../shared/data/real holds
SYNTH = {"count": 1000, "seed": 7}  # the corpus of the README's synthetic results
LABELS = ("anger", "disgust", "fear", "happy", "sad", "surprise")

# How the shipped model is trained, chosen on validation splits only (README, "Real people"): sources sampled by
# size**0.5, EmoDB and the synthetic corpus at twice that share, 20,000 windows an epoch; thresholds per modality
# set raised until 75% of the no-label validation windows stay silent.
RECIPE = dict(arch="hybrid", epoch_windows=20000, max_epochs=24, patience=4, source_alpha=0.5,
              source_weights={"emodb": 2.0, "synth": 2.0}, min_silence=0.75)
QUICK = dict(arch="hybrid", epoch_windows=96, max_epochs=1, patience=1, d=16, batch_size=32,
             source_weights={"emodb": 2.0, "synth": 2.0}, min_silence=0.75)
EMODB_SPEEDS = "0.9,1.1"  # speed-perturbed training copies of every recording


@dataclass(frozen=True)
class Work:
    root: Path
    quick: bool

    def imported(self, corpus: str) -> Path:
        return self.root / "import" / corpus

    def dataset(self, source: str) -> Path:
        return self.root / "datasets" / source

    def model(self, name: str) -> Path:
        return self.root / "models" / name


def log(message: str) -> None:
    print(f"[real] {message}", file=sys.stderr, flush=True)


def prepare(real: Path, work: Work, synth_dataset: Path | None) -> list[str]:
    """Imports and extracts every corpus and the synthetic one; returns the training --data specs."""
    specs = []
    for corpus in CORPORA:
        out = work.imported(corpus)
        args = [corpus, "--data", str(real), "--out", str(out)] + (["--limit", "24"] if work.quick else [])
        args += ["--speed", EMODB_SPEEDS] if corpus == "emodb" else []
        with contextlib.redirect_stdout(sys.stderr):  # stdout is the report's
            imported = corpora.main(args)
        if imported != 0:
            raise SystemExit(f"importing {corpus} from {real} failed (see above)")
        extract(out / "manifest.csv", work.dataset(corpus))
        specs.append(f"{corpus}={work.dataset(corpus)}")
    if synth_dataset is None:
        corpus = work.root / "synth" / "corpus"
        count = 12 if work.quick else SYNTH["count"]
        if not (corpus / "manifest.csv").is_file():
            log(f"generating the synthetic corpus ({count} clips, seed {SYNTH['seed']})")
            run([sys.executable, "-m", "mmstream_synth", "--task", "emotion", "--count", str(count),
                 "--seed", str(SYNTH["seed"]), "--out", str(corpus)], cwd=ROOT / "training")
        synth_dataset = work.dataset("synth")
        extract(corpus / "manifest.csv", synth_dataset)
    specs.append(f"synth={synth_dataset}")
    return specs


def extract(manifest: Path, out: Path) -> None:
    log(f"extracting {manifest} -> {out} (resumes where it stopped)")
    run([str(ROOT / "mmstream"), "extract", "--manifest", str(manifest), "--out", str(out)], ok=(0, 1))


def run(command: list[str], cwd: Path = ROOT, ok=(0,)) -> None:
    code = subprocess.run(command, cwd=cwd, stdout=sys.stderr).returncode
    if code not in ok:
        raise SystemExit(f"{' '.join(command[:3])} ... failed with exit code {code}")


def config(work: Work, specs: list[str], name: str, **overrides) -> TrainConfig:
    recipe = QUICK if work.quick else RECIPE
    return TrainConfig.for_task("emotion", data=tuple(specs), out=str(work.model(name)), **{**recipe, **overrides})


def train_once(cfg: TrainConfig) -> TrainResult:
    """Reuses a run that finished with exactly these settings; continues an interrupted one."""
    done = finished(cfg)
    if done is not None:
        log(f"reusing {cfg.out}")
        return done
    resume = (Path(cfg.out) / CHECKPOINT).is_file()
    log(f"training {cfg.out}{' (resuming)' if resume else ''}")
    return train(cfg, resume=resume, log=lambda m: log(f"  {m}"))


def fold_speakers(work: Work) -> tuple[str, ...]:
    return EMODB_SPEAKERS[:2] if work.quick else EMODB_SPEAKERS


def fold_configs(work: Work, specs: list[str], folds: tuple[str, ...]) -> list[TrainConfig]:
    """One training per EmoDB speaker in `folds`: that speaker is test, the next one of all the speakers val (so a
    fold is the same training whichever subset asks for it), the other five train."""
    speakers = fold_speakers(work)
    return [config(work, specs, f"loso-{speaker}", export=False, test_groups=(f"speaker-{speaker}",),
                   val_groups=(f"speaker-{speakers[(i + 1) % len(speakers)]}",))
            for i, speaker in enumerate(speakers) if speaker in folds]


def train_all(configs: list[TrainConfig], jobs: int) -> list[TrainResult]:
    """The trainings, `jobs` at a time in processes of one thread each (two small trainings keep two cores
    busier than one two-threaded one)."""
    if jobs <= 1 or len(configs) == 1:
        return [train_once(cfg) for cfg in configs]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                             initializer=torch.set_num_threads, initargs=(1,)) as pool:
        return list(pool.map(train_once, configs))


def baselines(specs: list[str], speakers: tuple[str, ...], folds: tuple[str, ...]) -> dict[str, list[dict]]:
    """The logistic-regression baselines on the same items and folds (mmstream_training.baselines)."""
    dataset = load_datasets([s for s in specs if not s.startswith("synth=")], "emotion")
    result = {"emodb": emodb_baseline(dataset, speakers, folds=folds),
              "emodb_speaker": emodb_baseline(dataset, speakers, folds=folds, speaker_normalized=True)}
    for source in ("meld", "goemotions"):
        result[source] = [text_baseline(dataset, source)]
    return result


def report(main: TrainResult, folds: list[dict], baseline: dict[str, list[dict]], of: str = "") -> str:
    """`of`: which folds, when not all of them."""
    sources = main.test_sources
    names = {"meld": "MELD dev, text", "goemotions": "GoEmotions dev, text", "synth": "synthetic test split, T+A+V"}
    count = f"{len(folds)} folds{of}"
    rows = [SUMMARY_HEADER, summary_row(f"EmoDB, leave one speaker out ({count}), audio", folds),
            summary_row(f"  baseline: pooled log-mel + prosody, logistic regression ({count})", baseline["emodb"]),
            summary_row("  the same, each speaker standardized with all their recordings (an upper bound for "
                        "per-stream normalisation)", baseline["emodb_speaker"])]
    for s, label in names.items():
        if s in sources:
            rows.append(summary_row(label, [sources[s]]))
        if s in baseline:
            rows.append(summary_row("  baseline: mean MiniLM state, logistic regression", baseline[s]))
    parts = ["### Test sets (items: each clip scored by its fullest window; thresholds from validation)",
             "\n".join(rows),
             emotion_table(f"EmoDB, speaker-independent (mean ± std over {count})", folds, LABELS)]
    parts += [emotion_table(label, [sources[s]], LABELS) for s, label in names.items() if s in sources]
    return "\n\n".join(parts)


def pretrain_report(result: TrainResult) -> str:
    """The shipped model's own figures: the test sets it never saw, and EmoDB's validation speaker (its
    speaker-independent figure comes from `evaluate`, whose folds leave each speaker out of training)."""
    val = json.loads((result.out / "metrics.json").read_text())["val_sources"]
    rows = [SUMMARY_HEADER]
    rows += [summary_row(f"{s} (test)", [m]) for s, m in result.test_sources.items()]
    if "emodb" in val:
        rows.append(summary_row("emodb (validation speaker, used to choose the epoch)", [val["emodb"]]))
    return "\n".join(rows)


def install(result: TrainResult) -> Path:
    target = ROOT / "models" / "pretrained"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(result.out / "emotion.onnx", target / "emotion.onnx")
    metrics = json.loads((result.out / "metrics.json").read_text())
    (target / "emotion.metrics.json").write_text(json.dumps(
        {"summary": metrics["summary"], "test_sources": metrics["test_sources"], "val_sources": metrics["val_sources"]},
        indent=2) + "\n")
    return target / "emotion.onnx"


def parse(argv):
    p = argparse.ArgumentParser(prog="mmstream pretrain|evaluate-real", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("command", choices=("pretrain", "evaluate"))
    p.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "data" / "real",
                   help="the folder with emodb/, meld/ and goemotions/ (see its README)")
    p.add_argument("--work", type=Path, default=ROOT / "work" / "real", help="where imports, datasets and models go")
    p.add_argument("--synth-data", type=Path, help="an extracted synthetic emotion dataset to use instead of making one")
    p.add_argument("--install", action="store_true", help="pretrain: write models/pretrained/emotion.onnx")
    p.add_argument("--quick", action="store_true", help="a few items, two folds, one short epoch: checks the path")
    p.add_argument("--jobs", type=int, default=1, help="trainings at a time, one process and thread each")
    p.add_argument("--folds", help="evaluate: the EmoDB speakers to leave out, e.g. 03,08 (default: all); a fold is "
                   "the same training in any subset, so finished folds are reused by a later full run")
    return p.parse_args(argv)


def main(argv=None) -> int:
    a = parse(argv)
    if not a.real.is_dir():
        print(f"mmstream {a.command}: {a.real} does not exist; pass --real with the folder that holds emodb/, meld/ "
              "and goemotions/", file=sys.stderr)
        return 1
    started = time.time()
    work = Work(a.work / "quick" if a.quick else a.work, a.quick)
    specs = prepare(a.real, work, a.synth_data)
    main_config = config(work, specs, "main")
    if a.command == "pretrain":
        result = train_all([main_config], a.jobs)[0]
        if a.install:
            log(f"installed {install(result)}")
        print(pretrain_report(result))
    else:
        speakers = fold_speakers(work)
        chosen = tuple(a.folds.split(",")) if a.folds else speakers
        unknown = sorted(set(chosen) - set(speakers))
        if unknown:
            print(f"mmstream evaluate-real: --folds {','.join(unknown)}: no such EmoDB speaker here; choose from "
                  f"{','.join(speakers)}", file=sys.stderr)
            return 2
        chosen = tuple(s for s in speakers if s in chosen)
        result, *folds = train_all([main_config, *fold_configs(work, specs, chosen)], a.jobs)
        of = "" if chosen == speakers else f" of {len(speakers)}: speakers {' '.join(chosen)}"
        print(report(result, [f.test_sources["emodb"] for f in folds], baselines(specs, speakers, chosen), of))
    log(f"done in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
