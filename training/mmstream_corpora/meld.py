"""MELD (Poria et al. 2019): `train_sent_emo.csv`, `dev_sent_emo.csv` with Utterance, Emotion, Dialogue_ID,
Utterance_ID, StartTime, EndTime (HH:MM:SS,mmm in the episode). Text-only items, one per line, the cue as
long as the line was spoken. Train's dialogues are split into train and val (whole dialogues); dev is test."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from .labels import ekman
from .manifest import Item, Report, in_val, present_parts
from .text_timing import untimed_duration_ms

FILES = {"train": "train_sent_emo.csv", "dev": "dev_sent_emo.csv"}
COLUMNS = ("Utterance", "Emotion", "Dialogue_ID", "Utterance_ID", "StartTime", "EndTime")
TIME = re.compile(r"(\d+):(\d{2}):(\d{2})[,.](\d{1,3})")
MAX_PLAUSIBLE_MS = 30_000  # MELD has a few lines whose times span minutes: an annotation slip


def corpus_dir(data: Path) -> Path:
    for candidate in (data, data / "meld"):
        if (candidate / FILES["train"]).is_file() or (candidate / FILES["dev"]).is_file():
            return candidate
    raise FileNotFoundError(f"{data} holds no MELD corpus: expected {FILES['train']} and {FILES['dev']} in it "
                            "or in its meld/ folder")


def millis(value: str) -> int | None:
    m = TIME.fullmatch(value.strip())
    if m is None:
        return None
    h, mi, s, frac = m.groups()
    return ((int(h) * 60 + int(mi)) * 60 + int(s)) * 1000 + int(frac.ljust(3, "0"))


def read(data: Path, report: Report, val_fraction: float = 0.1) -> list[Item]:
    root = corpus_dir(data)
    items = []
    for part, path in present_parts(root, FILES, report):
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise ValueError(f"{path}: the header lacks {missing}; is it MELD's *_sent_emo.csv?")
            for row in reader:
                item = _item(part, row, f"{path.name}:{reader.line_num}", report, val_fraction)
                if item is not None:
                    items.append(item)
    return items


def _item(part: str, row: dict, where: str, report: Report, val_fraction: float) -> Item | None:
    text = " ".join((row["Utterance"] or "").split())
    if not text:
        report.skip(where, "the utterance is empty")
        return None
    try:
        labels = ekman(row["Emotion"] or "")
    except KeyError:
        report.skip(where, f"emotion {row['Emotion']!r} is not one of MELD's seven")
        return None
    dialogue, utterance = (row["Dialogue_ID"] or "").strip(), (row["Utterance_ID"] or "").strip()
    if not (dialogue.isdigit() and utterance.isdigit()):
        report.skip(where, f"Dialogue_ID {dialogue!r} / Utterance_ID {utterance!r} are not numbers")
        return None
    start, end = millis(row["StartTime"] or ""), millis(row["EndTime"] or "")
    duration = None if start is None or end is None else end - start
    if duration is None or not 0 < duration <= MAX_PLAUSIBLE_MS:
        duration = untimed_duration_ms(text)
        report.note(where, f"StartTime {row['StartTime']!r} / EndTime {row['EndTime']!r} give no plausible "
                           f"duration; the cue lasts {duration} ms (three words a second)")
    group = f"{part}-dialogue-{dialogue}"
    split = "test" if part == "dev" else "val" if in_val(group, val_fraction) else "train"
    return Item(clip_id=f"meld-{part}-d{dialogue}-u{utterance}", split=split, labels=labels,
                source_label=row["Emotion"].strip().lower(), group=group, text=text, duration_ms=duration)
