"""./mmstream reproduce mosei|moviescope --data DIR: trains the baseline (MulT-GMU) and the hybrid on a public
research dataset in its own format with the seed report's settings, and prints tables laid out like the report's
Tables 1-3 beside the report's own figures."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import torch

from mmstream_research import moviescope, mosei
from mmstream_research.corpus import Corpus
from mmstream_training.data import DatasetError
from mmstream_training.tables import _cell
from mmstream_training.train import TrainConfig, main as train

ARCHS = ("baseline", "hybrid")

# The report's settings (its section on training); the training run's own refinements (moving average of the
# weights, modality dropout) are off, so that the architectures are compared as the report compared them.
REPORT_SETTINGS = {
    "emotion": {"batch_size": 64, "lr": 1e-3, "dropout": 0.15, "patience": 10, "max_epochs": 50,
                "ema_epochs": 0.0, "modality_dropout": 0.0},
    "genre": {"lr": 1e-4, "patience": 5, "lr_patience": 3, "lr_factor": 0.5, "max_epochs": 50,
              "ema_epochs": 0.0, "modality_dropout": 0.0},
}

# The report's figures (Tables 1-3): MOSEI, its model's averages over the six emotions; Moviescope, text + audio
# + video. None where the report gives no figure.
REPORT_MOSEI = {"mean_f1": 0.684, "mean_roc_auc": 0.698}
REPORT_MOVIESCOPE = {"baseline": {"micro_ap": 0.524, "macro_ap": 0.465, "samples_ap": 0.654},
                     "hybrid": {"micro_ap": 0.560, "macro_ap": 0.582, "samples_ap": 0.685}}

RESEARCH_NOTE = ("These models are for research only. Their inputs ({inputs}) are not the features mmstream's "
                 "ingest computes from live media (MiniLM tokens, log-mel + prosody, face-api + scene features), "
                 "so they cannot be served on live streams; `serve` needs a model trained with `./mmstream train` "
                 "on features from `./mmstream extract`. None of them is exported to ONNX.")
INPUTS = {"mosei": "GloVe/BERT words, COVAREP, FACET/OpenFace",
          "moviescope": "plot word vectors, log-mel spectrograms, VGG16 frame features"}


@dataclass(frozen=True)
class Run:
    arch: str
    seed: int
    metrics: dict  # item-level test metrics (train.per_source)
    best_epoch: int
    epochs_run: int
    seconds: float


def read_corpus(dataset: str, a) -> Corpus:
    if dataset == "mosei":
        folder = Path(a.data)
        if any(folder.glob("*.csd")):
            files = {role: getattr(a, role) for role in ("text", "audio", "video", "labels")}
            return mosei.load_sdk(folder, seq_len=a.seq_len, folds_file=a.folds, files=files)
        return mosei.load(folder)
    return moviescope.load(Path(a.data), glove=a.glove)


def train_all(corpus: Corpus, out: Path, seeds: list[int], overrides: dict, log=print) -> list[Run]:
    dataset = corpus.to_dataset()
    runs = []
    for arch in ARCHS:
        for seed in seeds:
            cfg = TrainConfig.for_task(corpus.task, data=(corpus.name,), out=str(out / f"{arch}-seed{seed}"),
                                       arch=arch, seed=seed, export=False,
                                       **{**REPORT_SETTINGS[corpus.task], **overrides})
            log(f"--- {arch}, seed {seed} ---")
            result = train(cfg, dataset=dataset, log=log)
            runs.append(Run(arch, seed, result.test_sources.get(corpus.name, {}), result.best_epoch,
                            result.epochs_run, result.train_seconds))
    return runs


def emotion_table(runs: list[Run], labels) -> str:
    """Tables 1-2's layout: per emotion F1 and ROC-AUC on the test split, their averages, each architecture, then
    the report's figures."""
    lines = ["| model | metric | " + " | ".join(labels) + " | average |", "|---" * (len(labels) + 3) + "|"]
    for arch in ARCHS:
        mine = [r.metrics for r in runs if r.arch == arch]
        for key, name, avg in (("f1", "F1", "mean_f1"), ("roc_auc", "ROC-AUC", "mean_roc_auc")):
            cells = [_cell([m["per_label"][lab][key] for m in mine]) for lab in labels]
            lines.append(f"| {arch} (mmstream) | {name} | " + " | ".join(cells) + f" | {_cell([m[avg] for m in mine])} |")
    dashes = " | ".join("–" for _ in labels)
    lines.append(f"| report | F1 | {dashes} | {REPORT_MOSEI['mean_f1']:.3f} |")
    lines.append(f"| report | ROC-AUC | {dashes} | {REPORT_MOSEI['mean_roc_auc']:.3f} |")
    return "\n".join(lines)


def genre_table(runs: list[Run]) -> str:
    """Table 3's layout: micro, macro and samples AP (plus weighted AP) on the test split, text + audio + video."""
    keys = ("micro_ap", "macro_ap", "samples_ap", "weighted_ap")
    lines = ["| model | μAP | mAP | sAP | weighted AP |", "|---|---|---|---|---|"]
    for arch in ARCHS:
        mine = [r.metrics for r in runs if r.arch == arch]
        lines.append(f"| {arch} (mmstream) | " + " | ".join(_cell([m[k] for m in mine]) for k in keys) + " |")
        report = REPORT_MOVIESCOPE[arch]
        lines.append(f"| {arch} (report) | " + " | ".join(f"{report[k]:.3f}" if k in report else "–" for k in keys) + " |")
    return "\n".join(lines)


def tables(corpus: Corpus, runs: list[Run], seeds: list[int]) -> str:
    sizes = corpus.split_sizes()
    if corpus.task == "emotion":
        title = "Tables 1-2 layout: CMU-MOSEI, six emotions, test split"
        body = emotion_table(runs, corpus.labels)
    else:
        title = "Table 3 layout: Moviescope, text + audio + video, test split"
        body = genre_table(runs)
    epochs = ", ".join(f"{r.arch} seed {r.seed}: best epoch {r.best_epoch} of {r.epochs_run}" for r in runs)
    notes = [f"{sizes['train']:,}/{sizes['val']:,}/{sizes['test']:,} train/val/test items; "
             f"{'mean ± sd over ' + str(len(seeds)) + ' seeds' if len(seeds) > 1 else 'seed ' + str(seeds[0])}; "
             f"thresholds tuned on validation; {epochs}."]
    notes += corpus.notes
    return "\n".join([f"### {title}", "", body, "", *[f"- {n}" for n in notes], "",
                      RESEARCH_NOTE.format(inputs=INPUTS[corpus.name])])


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="mmstream reproduce", description=__doc__.split("\n\n")[0])
    p.add_argument("dataset", choices=["mosei", "moviescope"], help="which of the report's experiments")
    p.add_argument("--data", required=True,
                   help="mosei: a folder with the CMU-MultimodalSDK .csd files, or the word-aligned "
                        "text_/audio_/video_/ey_{train,valid,test}.h5; moviescope: the folder with train/dev/test.jsonl, "
                        "200F_VGG16/ and Melspectrogram/")
    p.add_argument("--out", help="where each run's report and metrics go (default: runs/reproduce-DATASET)")
    p.add_argument("--seeds", default="0", help="comma-separated seeds; several give mean ± sd (default: 0)")
    p.add_argument("--epochs", type=int, help="maximum epochs (default: the report's 50, with early stopping)")
    p.add_argument("--device", default="auto", help="cpu, cuda or auto (default: auto)")
    p.add_argument("--threads", type=int, help="CPU threads for PyTorch (default: PyTorch's choice)")
    sdk = p.add_argument_group("mosei from .csd files")
    sdk.add_argument("--folds", type=Path, help="the SDK's cmu_mosei_std_folds.py, or a JSON {train, valid, test} of "
                                                "video ids (default: that file in --data, else a 70/10/20 split by "
                                                "video id, which the tables then say)")
    sdk.add_argument("--seq-len", type=int, default=mosei.SEQ_LEN, help="words per utterance (default: 20, the report's)")
    for role in ("text", "audio", "video", "labels"):
        sdk.add_argument(f"--{role}", type=Path, help=f"the {role} .csd file, when the name does not say it")
    p.add_argument("--glove", type=Path, help="moviescope: GloVe text-format vectors for the plots (default: hashed "
                                              "word vectors)")
    a = p.parse_args(argv)
    try:
        a.seeds = [int(s) for s in a.seeds.split(",") if s.strip()]
    except ValueError:
        p.error(f"--seeds must be comma-separated integers, got {a.seeds!r}")
    if not a.seeds:
        p.error("--seeds needs at least one seed")
    return a


def main(argv=None, log=print) -> int:
    a = parse_args(argv)
    if a.threads:
        torch.set_num_threads(a.threads)
    out = Path(a.out or f"runs/reproduce-{a.dataset}")
    try:
        corpus = read_corpus(a.dataset, a)
        sizes = corpus.split_sizes()
        log(f"{corpus.name}: {len(corpus.items):,} items (train/val/test {sizes['train']}/{sizes['val']}/{sizes['test']}), "
            f"feature columns {corpus.dims}")
        overrides = {"device": a.device, **({"max_epochs": a.epochs} if a.epochs else {})}
        runs = train_all(corpus, out, a.seeds, overrides, log)
    except DatasetError as e:  # also FormatError: one line that names the file and what is wrong
        print(f"mmstream reproduce: {e}", file=sys.stderr)
        return 1
    text = tables(corpus, runs, a.seeds)
    out.mkdir(parents=True, exist_ok=True)
    (out / "tables.md").write_text(text + "\n")
    log("")
    log(text)
    log(f"\n(also in {out / 'tables.md'}; each run's report.md and metrics.json are in {out}/ARCH-seedN)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
