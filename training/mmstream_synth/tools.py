"""The Debian command-line tools the generator drives, and one way to run them."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence

REQUIRED = ("ffmpeg", "ffprobe", "espeak-ng", "sox")


class ToolError(RuntimeError):
    """A media tool is missing or failed; the message says which and what to do."""


def require(*names: str) -> None:
    missing = [n for n in (names or REQUIRED) if shutil.which(n) is None]
    if missing:
        raise ToolError(f"{', '.join(missing)} not found on PATH: run ./mmstream setup "
                        "(it installs the Debian packages ffmpeg, espeak-ng and sox)")


def run(cmd: Sequence[str], stdin: bytes | None = None) -> bytes:
    """Runs a tool to completion; a non-zero exit raises with the tool's own error text."""
    try:
        done = subprocess.run(list(cmd), input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        require(cmd[0])
        raise
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace").strip()[-2000:]
        raise ToolError(f"{cmd[0]} failed (exit {done.returncode}): {err}\ncommand: {' '.join(cmd)}")
    return done.stdout
