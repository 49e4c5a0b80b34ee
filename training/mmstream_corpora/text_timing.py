"""How long a line of text is shown when nobody timed it (GoEmotions comments, chat lines read live): about
three words a second, at least one second and short enough that one 4 s emotion window holds the whole line,
as it does when a chat message arrives at once. Ingest's live reader (`--captions -`) uses the same rule."""

from __future__ import annotations

WORDS_PER_SECOND = 3.0
MIN_MS, MAX_MS = 1000, 3500


def untimed_duration_ms(text: str) -> int:
    words = len(text.split())
    return int(min(MAX_MS, max(MIN_MS, 1000 * words / WORDS_PER_SECOND)))
