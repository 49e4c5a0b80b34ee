"""report.md next to the model: the metrics tables plus PNG plots (training curves, test PR curves)."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no display on servers
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.metrics import precision_recall_curve  # noqa: E402

from mmstream_training.metrics import HEADLINE  # noqa: E402


def _fmt(x: float) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.4f}"


def metrics_markdown(task: str, metrics: dict, title: str = "Test metrics") -> str:
    lines = [f"### {title}", "", "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {_fmt(metrics[k])} |" for k in HEADLINE[task]]
    per_label = metrics["per_label"]
    columns = [k for k in next(iter(per_label.values())) if k != "support"] + ["support"]
    lines += ["", "| label | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, values in per_label.items():
        cells = [str(values[c]) if c == "support" else _fmt(values[c]) for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if any("n/a" in line for line in lines):
        lines += ["", "n/a: undefined here (a label with a single class in this split); left out of the means."]
    return "\n".join(lines)


def plot_curves(history: list[dict], path: Path) -> None:
    epochs = [h["epoch"] for h in history]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(epochs, [h["train_loss"] for h in history], label="train")
    ax1.plot(epochs, [h["val_loss"] for h in history], label="validation")
    ax1.set(xlabel="epoch", ylabel="BCE loss (pos_weight)", title="Loss")
    ax1.legend()
    ax2.plot(epochs, [h["val_score"] for h in history], color="tab:green")
    ax2.set(xlabel="epoch", ylabel=history[0]["score_name"], title="Validation selection score")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_pr_curves(y_true: np.ndarray, probs: np.ndarray, labels, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(6, 5))
    for c, name in enumerate(labels):
        if y_true[:, c].sum() == 0:
            continue
        precision, recall, _ = precision_recall_curve(y_true[:, c], probs[:, c])
        ax.plot(recall, precision, label=name, linewidth=1)
    ax.set(xlabel="recall", ylabel="precision", title="Test precision-recall per label", xlim=(0, 1), ylim=(0, 1.02))
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def sources_markdown(sources: dict, title: str) -> str:
    """One row per source: item-level headline metrics (items = clips, their windows' scores averaged)."""
    if not sources:
        return ""
    keys = [k for k in ("mean_f1", "mean_roc_auc", "top1_accuracy", "neutral_silent", "micro_ap", "macro_ap",
                        "samples_ap", "weighted_ap") if any(k in m for m in sources.values())]
    lines = [f"### {title}", "", "| source | items | " + " | ".join(keys) + " |", "|---" * (len(keys) + 2) + "|"]
    for name, m in sources.items():
        lines.append(f"| {name} | {m['items']} | " + " | ".join(_fmt(m.get(k)) for k in keys) + " |")
    return "\n".join(lines)


def write_report(model_dir: Path, summary: dict, history: list[dict], metrics: dict,
                 y_test: np.ndarray, p_test: np.ndarray, test_sources: dict | None = None) -> Path:
    model_dir = Path(model_dir)
    plot_curves(history, model_dir / "curves.png")
    if len(y_test):
        plot_pr_curves(y_test, p_test, summary["labels"], model_dir / "pr_curves.png")
    lines = [
        f"# {summary['model_name']} {summary['model_version']}",
        "",
        f"- task: {summary['task']}; architecture: {summary['architecture']}; modalities: {', '.join(summary['modalities'])}",
        f"- dataset: `{summary['dataset']}` (hash {summary['dataset_hash'][:16]}…); windows train/val/test: "
        f"{summary['split_sizes']['train']}/{summary['split_sizes']['val']}/{summary['split_sizes']['test']}",
        f"- best epoch {summary['best_epoch']} of {summary['epochs_run']} (selection: validation {history[0]['score_name']}), "
        f"{summary['parameters']:,} parameters, trained in {summary['train_seconds']:.0f} s on {summary['device']}",
        f"- code: {summary['git_commit']}",
        "- thresholds: per label, maximising F1 on validation; the test split was evaluated once, at the end.",
        "",
        metrics_markdown(summary["task"], metrics) if metrics else "No test split: no test metrics.",
        "",
        sources_markdown(test_sources or {}, "Test metrics per source (items)"),
        "",
        "### Mean GMU gate on test (how much each fused input drove the decision)",
        "",
        "| " + " | ".join(summary["gate_names"]) + " |",
        "|---" * len(summary["gate_names"]) + "|",
        "| " + " | ".join(f"{g:.3f}" for g in summary["mean_test_gates"]) + " |",
        "",
        "![training curves](curves.png)",
        "",
        "![precision-recall curves](pr_curves.png)" if len(y_test) else "",
        "",
    ]
    path = model_dir / "report.md"
    path.write_text("\n".join(lines))
    return path
