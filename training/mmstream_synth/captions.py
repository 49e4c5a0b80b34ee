"""Caption cues and their SRT / WebVTT sidecar files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    text: str


def _stamp(t: float, sep: str) -> str:
    ms = int(round(t * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_srt(cues: list[Cue]) -> str:
    return "".join(f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}\n\n"
                   for i, c in enumerate(cues, 1))


def to_vtt(cues: list[Cue]) -> str:
    return "WEBVTT\n\n" + "".join(f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{c.text}\n\n" for c in cues)


def write(cues: list[Cue], path: Path) -> None:
    """Writes SRT or VTT according to the file's suffix."""
    text = to_vtt(cues) if path.suffix == ".vtt" else to_srt(cues)
    path.write_text(text, encoding="utf-8")
