"""Muxes rendered frames, a WAV track and optionally a mov_text subtitle stream into an .mp4.

Bit-exact flags and a single-threaded x264 make the file a pure function of its inputs, so the
same seed gives byte-identical media on every machine run with the same ffmpeg build.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import tools


@dataclass(frozen=True)
class VideoFormat:
    width: int
    height: int
    fps: int
    crf: int = 28
    preset: str = "veryfast"


def encode_mp4(frames: Iterable[np.ndarray], fmt: VideoFormat, wav: Path, out: Path,
               subtitles: Path | None, work: Path) -> None:
    """frames: uint8 (H, W, 3) RGB arrays; subtitles: an SRT/VTT file to embed as mov_text."""
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
           "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{fmt.width}x{fmt.height}", "-r", str(fmt.fps),
           "-i", "pipe:0", "-i", str(wav)]
    maps = ["-map", "0:v:0", "-map", "1:a:0"]
    if subtitles is not None:
        cmd += ["-i", str(subtitles)]
        maps += ["-map", "2:s:0", "-c:s", "mov_text", "-metadata:s:s:0", "language=eng"]
    cmd += maps + [
        "-c:v", "libx264", "-preset", fmt.preset, "-crf", str(fmt.crf), "-pix_fmt", "yuv420p",
        "-threads", "1", "-x264-params", "threads=1:lookahead-threads=1",
        "-c:a", "aac", "-b:a", "64k",
        "-map_metadata", "-1", "-map_chapters", "-1",
        "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
        "-movflags", "+faststart", str(out)]
    log = work / "ffmpeg.log"
    with open(log, "wb") as err:
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=err)
        except FileNotFoundError:
            tools.require("ffmpeg")
            raise
        try:
            for frame in frames:
                if frame.shape != (fmt.height, fmt.width, 3) or frame.dtype != np.uint8:
                    raise ValueError(f"frame {frame.shape} {frame.dtype} does not match "
                                     f"{fmt.height}x{fmt.width}x3 uint8")
                proc.stdin.write(frame.tobytes())
        except BrokenPipeError:
            pass  # ffmpeg died; its exit code and log say why, below
        finally:
            proc.stdin.close()
            code = proc.wait()
    if code != 0:
        raise tools.ToolError(f"ffmpeg failed (exit {code}) writing {out}: "
                              f"{log.read_text(errors='replace').strip()[-2000:]}")
