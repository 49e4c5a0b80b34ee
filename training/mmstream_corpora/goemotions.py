"""GoEmotions, Ekman grouping (Demszky et al. 2020): `train.tsv`, `dev.tsv` as text<TAB>label indices<TAB>
comment id, `labels.txt` naming index i on line i. Text-only, multi-label items; an untimed comment is one
cue of `untimed_duration_ms`. A share of train's comments is val; dev is test."""

from __future__ import annotations

import csv
from pathlib import Path

from .labels import EKMAN, ekman
from .manifest import CLIP_ID, Item, Report, in_val, present_parts
from .text_timing import untimed_duration_ms

FILES = {"train": "train.tsv", "dev": "dev.tsv"}


def corpus_dir(data: Path) -> Path:
    for candidate in (data, data / "goemotions"):
        if (candidate / "labels.txt").is_file():
            return candidate
    raise FileNotFoundError(f"{data} holds no GoEmotions corpus: expected labels.txt, train.tsv and dev.tsv in it "
                            "or in its goemotions/ folder")


def label_names(root: Path) -> list[str]:
    names = [line.strip().lower() for line in (root / "labels.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    unknown = [n for n in names if n not in EKMAN]
    if unknown:
        raise ValueError(f"{root / 'labels.txt'} names {unknown}, which are not Ekman groups {sorted(EKMAN)}: "
                         "this reader takes the Ekman grouping of GoEmotions")
    return names


def read(data: Path, report: Report, val_fraction: float = 0.1) -> list[Item]:
    root = corpus_dir(data)
    names = label_names(root)
    items = []
    for part, path in present_parts(root, FILES, report):
        with path.open(newline="", encoding="utf-8") as f:
            for number, fields in enumerate(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
                item = _item(part, fields, names, f"{path.name}:{number}", report, val_fraction)
                if item is not None:
                    items.append(item)
    return items


def _item(part, fields, names, where, report, val_fraction) -> Item | None:
    if len(fields) != 3:
        report.skip(where, f"expected 3 tab-separated fields (text, label indices, comment id), found {len(fields)}")
        return None
    text, indices, comment = " ".join(fields[0].split()), fields[1].strip(), fields[2].strip()
    if not text:
        report.skip(where, "the comment text is empty")
        return None
    if not CLIP_ID.fullmatch(f"goemo-{comment}"):
        report.skip(where, f"comment id {comment!r} is empty or holds characters a clip id cannot")
        return None
    try:
        picked = sorted({int(i) for i in indices.split(",")})
    except ValueError:
        report.skip(where, f"label indices {indices!r} are not comma-separated numbers")
        return None
    if not picked or picked[0] < 0 or picked[-1] >= len(names):
        report.skip(where, f"label indices {indices!r} are outside labels.txt's 0..{len(names) - 1}")
        return None
    source = [names[i] for i in picked]
    labels = tuple(sorted({label for name in source for label in ekman(name)}))
    split = "test" if part == "dev" else "val" if in_val(comment, val_fraction) else "train"
    return Item(clip_id=f"goemo-{comment}", split=split, labels=labels, source_label="+".join(source),
                group=f"comment-{comment}", text=text, duration_ms=untimed_duration_ms(text))
