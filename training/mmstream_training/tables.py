"""Per-source result tables in the layout of the seed paper's Tables 1-2: per-label F1 and ROC-AUC with their
averages, plus top-1 accuracy on single-label items and how often a neutral item gets no label. Each cell is a
mean over runs, with ± the sample standard deviation when there are several (leave-one-speaker-out folds)."""

from __future__ import annotations

import math

import numpy as np


def _cell(values: list[float], digits: int = 3) -> str:
    v = np.array([x for x in values if x is not None and not (isinstance(x, float) and math.isnan(x))], dtype=float)
    if len(v) == 0:
        return "–"
    if len(v) == 1:
        return f"{v[0]:.{digits}f}"
    return f"{v.mean():.{digits}f} ± {v.std(ddof=1):.{digits}f}"


def emotion_table(title: str, runs: list[dict], labels) -> str:
    """`runs`: item-level metrics of one source (source_metrics), one dict per run (fold or seed)."""
    header = "| | " + " | ".join(labels) + " | average |"
    lines = [f"#### {title}", "", header, "|---" * (len(labels) + 2) + "|"]
    for key, name, avg in (("f1", "F1", "mean_f1"), ("roc_auc", "ROC-AUC", "mean_roc_auc")):
        cells = [_cell([r["per_label"][label][key] if r["per_label"][label]["support"] else float("nan") for r in runs])
                 for label in labels]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_cell([r[avg] for r in runs])} |")
    items = runs[0]["items"]
    kind = runs[0].get("neutral_kind", "neutral")
    lines += ["", f"{items} items{' per run' if len(runs) > 1 else ''}; top-1 accuracy on single-label items "
                  f"{_cell([r['top1_accuracy'] for r in runs])} (argmax over the labels the corpus has); "
                  f"{kind} items with no label above its threshold {_cell([r['neutral_silent'] for r in runs])} "
                  f"({runs[0]['neutral_items']} items); \"–\": the corpus has no item with that label."]
    return "\n".join(lines)


def summary_row(name: str, runs: list[dict]) -> str:
    """One line of the before/after table: macro ROC-AUC, top-1, macro-F1, neutral silence."""
    return (f"| {name} | {_cell([r['mean_roc_auc'] for r in runs])} | {_cell([r['top1_accuracy'] for r in runs])} | "
            f"{_cell([r['mean_f1'] for r in runs])} | {_cell([r['neutral_silent'] for r in runs])} |")


SUMMARY_HEADER = ("| source | macro ROC-AUC | top-1 (single-label items) | macro-F1 | neutral items with no label |\n"
                  "|---|---|---|---|---|")
