"""Writes an import's outputs: manifest.csv (the columns `extract` reads, plus source, group, source_label),
one SRT file per text item, and import-report.csv listing every row that was left out or changed, with why."""

from __future__ import annotations

import csv
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_COLUMNS = ("clip_id", "media_path", "captions_path", "metadata_path", "labels", "split",
                    "source", "group", "source_label", "augmented")
CLIP_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class Item:
    """One labelled item. Exactly one of media (an audio/video file) or text (a transcript line) is set.

    group: what must not be split across train/val/test (speaker, dialogue); source_label: the corpus's own
    label(s), so that reports can tell neutral items from other no-label items."""

    clip_id: str
    split: str
    labels: tuple[str, ...]
    source_label: str
    group: str
    media: Path | None = None
    text: str | None = None
    duration_ms: int = 0  # text items: length of the one cue
    augmented: str = ""  # how a training copy was made from an original (e.g. "speed 0.9"); empty for originals

    def __post_init__(self):
        assert CLIP_ID.fullmatch(self.clip_id), f"clip id {self.clip_id!r} is not file-name safe"
        assert self.split in SPLITS, f"split {self.split!r}"
        assert (self.media is None) != (self.text is None), "an item has media or text, not both"
        assert self.text is None or self.duration_ms > 0, "a text item needs a positive duration"


@dataclass
class Report:
    """Rows left out (skipped) or kept with a change (note), each with where it was and why."""

    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (where, action, reason)

    def skip(self, where: str, reason: str) -> None:
        self.rows.append((where, "skipped", reason))

    def note(self, where: str, reason: str) -> None:
        self.rows.append((where, "kept", reason))

    @property
    def skipped(self) -> int:
        return sum(1 for r in self.rows if r[1] == "skipped")

    @property
    def changed(self) -> int:
        return sum(1 for r in self.rows if r[1] == "kept")


def present_parts(root: Path, files: dict[str, str], report: Report):
    """(part, path) of each of a corpus's files that is there (train, dev, ...); a missing one is reported."""
    for part, file in files.items():
        path = root / file
        if path.is_file():
            yield part, path
        else:
            report.skip(file, f"{path} not found: the {part} part is left out")


def in_val(key: str, fraction: float) -> bool:
    """Deterministic, platform-independent choice of a held-out share by a stable key (dialogue, comment)."""
    return zlib.crc32(key.encode("utf-8")) % 10_000 < fraction * 10_000


def srt_time(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def one_line(text: str) -> str:
    """A cue's text on one line: an empty line would end the SRT cue early."""
    return " ".join(text.split())


def write(out: Path, source: str, items: list[Item], report: Report) -> dict:
    """Writes manifest.csv, captions/*.srt and import-report.csv under `out`; returns counts for the summary."""
    out.mkdir(parents=True, exist_ok=True)
    captions = out / "captions"
    seen: dict[str, int] = {}
    rows = []
    for item in items:
        if item.clip_id in seen:
            report.skip(item.clip_id, f"clip id {item.clip_id} appears twice; the first is kept")
            continue
        seen[item.clip_id] = 1
        media, caption = "", ""
        if item.media is not None:
            media = str(item.media.resolve())
        else:
            captions.mkdir(exist_ok=True)
            path = captions / f"{item.clip_id}.srt"
            body = f"1\n{srt_time(0)} --> {srt_time(item.duration_ms)}\n{one_line(item.text)}\n"
            if not path.is_file() or path.read_text(encoding="utf-8") != body:  # reruns leave files untouched
                path.write_text(body, encoding="utf-8")
            caption = f"captions/{item.clip_id}.srt"
        rows.append((item.clip_id, media, caption, "", ";".join(item.labels), item.split, source, item.group,
                     item.source_label, item.augmented))
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(MANIFEST_COLUMNS)
        w.writerows(rows)
    with (out / "import-report.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("where", "action", "reason"))
        w.writerows(report.rows)
    return {"items": len(rows), "splits": dict(Counter(r[5] for r in rows)),
            "no_label": sum(1 for r in rows if not r[4]), "skipped": report.skipped, "changed": report.changed}
