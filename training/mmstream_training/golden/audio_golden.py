"""Golden vectors for the Java audio featurizer (dev.mmstream.ingest.audio), computed with librosa.

Writes three 1.5 s signals at 16 kHz (a 440 Hz tone, a 100->4000 Hz log chirp, espeak-ng speech) and
librosa's reference features for them into ingest/src/test/resources/golden/audio/:

  <name>.wav.gz         16-bit PCM mono WAV, gzipped. The reference is computed on the dequantized
                        samples (k / 32768, exact in float32), so Java and librosa see bit-identical input.
  <name>.logmel.f32.gz  little-endian float32, n_frames x 64, row-major: ln(max(mel_power, 1e-10)), gzipped.
  mel_basis.f32.gz      librosa.filters.mel(sr=16000, n_fft=400, n_mels=64, fmin=0, fmax=8000), 64 x 201 float32.
  golden.json           parameters, librosa version, and per signal: frame energy (dBFS) and, for the tone
                        and the speech, pyin pitch (Hz, 0 = unvoiced) and voiced probability.
16-bit samples and gzip keep the fixtures under 200 KB in total (float32 raw would be ~290 KB).

Framing matches the Java featurizer: frame i covers samples [i*160, i*160+400) with no centre padding;
the signal is zero-padded at the end so that every frame starting before the end exists
(n_frames = ceil(n / 160)). Log-mel = librosa.feature.melspectrogram defaults (periodic Hann, power
spectrum, Slaney mel scale, Slaney area norm) with n_fft=400, computed in float64.

Run from training/:  ../.venv/bin/python -m mmstream_training.golden.audio_golden  (see --help; ~1 min, pyin)
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import math
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import librosa
import numpy as np
import scipy.signal
import soundfile


@dataclass(frozen=True)
class GoldenSpec:
    sample_rate: int = 16000
    n_fft: int = 400          # 25 ms window = FFT size, no zero padding
    hop: int = 160            # 10 ms
    n_mels: int = 64
    fmin: float = 0.0
    fmax: float = 8000.0
    mel_floor: float = 1e-10  # natural log floor: ln(1e-10) = -23.03
    energy_floor: float = 1e-10  # mean square floor: -100 dBFS
    duration_s: float = 1.5
    amplitude: float = 0.5
    pyin_frame: int = 1024    # pyin's own frame, centred on ours (see reference_pitch)
    speech_text: str = "Hello there, how are you today?"


def tone(spec: GoldenSpec) -> np.ndarray:
    t = np.arange(int(spec.duration_s * spec.sample_rate)) / spec.sample_rate
    return spec.amplitude * np.sin(2 * np.pi * 440.0 * t)


def chirp(spec: GoldenSpec) -> np.ndarray:
    t = np.arange(int(spec.duration_s * spec.sample_rate)) / spec.sample_rate
    return spec.amplitude * scipy.signal.chirp(t, f0=100.0, t1=spec.duration_s, f1=4000.0, method="logarithmic")


def speech(spec: GoldenSpec) -> np.ndarray:
    """espeak-ng at its own rate, resampled to 16 kHz by sox, silence trimmed, peak-normalised."""
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        raise SystemExit("espeak-ng and sox are needed: apt-get install espeak-ng sox")
    with tempfile.TemporaryDirectory() as tmp:
        raw, resampled = Path(tmp) / "espeak.wav", Path(tmp) / "speech16k.wav"
        subprocess.run(["espeak-ng", "-v", "en", "-s", "190", "-w", str(raw), spec.speech_text], check=True)
        subprocess.run(["sox", str(raw), "-r", str(spec.sample_rate), "-c", "1", "-b", "32", "-e", "floating-point",
                        str(resampled)], check=True)
        y, sr = soundfile.read(resampled, dtype="float64")
    assert sr == spec.sample_rate, f"sox gave {sr} Hz, expected {spec.sample_rate}"
    start = int(np.argmax(np.abs(y) > 1e-3))                       # drop espeak's leading silence
    y = y[max(0, start - spec.sample_rate // 20):]                 # ...but keep 50 ms of it
    n = int(spec.duration_s * spec.sample_rate)
    y = np.pad(y[:n], (0, max(0, n - len(y))))
    return spec.amplitude * y / np.max(np.abs(y))


def quantize(y: np.ndarray) -> np.ndarray:
    """int16 samples; k / 32768 is what both sides analyse."""
    return np.clip(np.round(y * 32768.0), -32768, 32767).astype(np.int16)


def frames_of(n_samples: int, spec: GoldenSpec) -> int:
    return -(-n_samples // spec.hop)


def padded(y: np.ndarray, spec: GoldenSpec) -> np.ndarray:
    """Zero-pads the end so that the last frame (starting before the end) is complete."""
    n_frames = frames_of(len(y), spec)
    return np.pad(y, (0, (n_frames - 1) * spec.hop + spec.n_fft - len(y)))


def reference_logmel(y: np.ndarray, spec: GoldenSpec) -> np.ndarray:
    """(n_frames, n_mels) natural-log mel power, librosa defaults except framing."""
    mel = librosa.feature.melspectrogram(
        y=padded(y, spec), sr=spec.sample_rate, n_fft=spec.n_fft, hop_length=spec.hop, win_length=spec.n_fft,
        window="hann", center=False, power=2.0, n_mels=spec.n_mels, fmin=spec.fmin, fmax=spec.fmax,
        htk=False, norm="slaney")
    return np.log(np.maximum(mel, spec.mel_floor)).T


def reference_energy_dbfs(y: np.ndarray, spec: GoldenSpec) -> np.ndarray:
    rms = librosa.feature.rms(y=padded(y, spec), frame_length=spec.n_fft, hop_length=spec.hop, center=False)[0]
    return 10.0 * np.log10(np.maximum(rms.astype(np.float64) ** 2, spec.energy_floor))


def reference_pitch(y: np.ndarray, spec: GoldenSpec) -> tuple[np.ndarray, np.ndarray]:
    """pyin f0 (0 = unvoiced) and voiced probability, one per frame of ours.

    pyin needs a longer frame than 25 ms for low voices, so it runs on `pyin_frame` samples centred on
    the centre of our frame i (sample i*160 + 200): the signal is left-padded by pyin_frame/2 - 200.
    """
    n_frames = frames_of(len(y), spec)
    lead = spec.pyin_frame // 2 - spec.n_fft // 2
    total = lead + (n_frames - 1) * spec.hop + spec.pyin_frame
    y_pad = np.pad(y, (lead, total - lead - len(y)))
    f0, voiced, prob = librosa.pyin(y_pad, fmin=65.0, fmax=1000.0, sr=spec.sample_rate,
                                    frame_length=spec.pyin_frame, hop_length=spec.hop, center=False)
    f0, voiced, prob = f0[:n_frames], voiced[:n_frames], prob[:n_frames]
    return np.where(voiced, f0, 0.0), prob


def write_gz(path: Path, data: bytes) -> None:
    """mtime=0 so that re-running the script on the same inputs gives the same bytes."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(data)


def write(out: Path, spec: GoldenSpec) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    manifest = {
        "librosa": librosa.__version__,
        "numpy": np.__version__,
        "spec": spec.__dict__,
        "logmel": "ln(max(mel_power, mel_floor)); librosa melspectrogram n_fft=400 hop=160 hann(periodic) "
                  "center=False power=2 Slaney scale norm=slaney; float64; end zero-padded",
        "energy": "10*log10(max(mean(x^2), energy_floor)) over the 400-sample frame, unwindowed",
        "pitch": "librosa.pyin fmin=65 fmax=1000 frame=1024 centred on our frame; 0 = unvoiced",
        "signals": {},
    }
    basis = librosa.filters.mel(sr=spec.sample_rate, n_fft=spec.n_fft, n_mels=spec.n_mels, fmin=spec.fmin,
                                fmax=spec.fmax)
    write_gz(out / "mel_basis.f32.gz", basis.astype("<f4").tobytes())
    for name, make in (("tone440", tone), ("chirp", chirp), ("speech", speech)):
        pcm16 = quantize(make(spec))
        wav = io.BytesIO()
        soundfile.write(wav, pcm16, spec.sample_rate, format="WAV", subtype="PCM_16")
        write_gz(out / f"{name}.wav.gz", wav.getvalue())
        y = pcm16.astype(np.float64) / 32768.0
        logmel = reference_logmel(y, spec)
        write_gz(out / f"{name}.logmel.f32.gz", logmel.astype("<f4").tobytes())
        # librosa in float32 (its usual dtype) against the float64 reference: the inherent float32 noise.
        logmel32 = reference_logmel(y.astype(np.float32), spec)
        above = logmel > math.log(spec.mel_floor) + 1e-6
        entry = manifest["signals"][name] = {
            "samples": int(len(pcm16)),
            "frames": int(logmel.shape[0]),
            "float32_vs_float64_max_abs_logmel": float(np.max(np.abs(logmel32 - logmel)[above])),
            "energy_dbfs": [round(float(v), 6) for v in reference_energy_dbfs(y, spec)],
        }
        if name != "chirp":  # pyin's 65..1000 Hz range does not cover the chirp's top
            f0, prob = reference_pitch(y, spec)
            entry["pitch_hz"] = [round(float(v), 4) for v in f0]
            entry["voiced_prob"] = [round(float(v), 4) for v in prob]
    (out / "golden.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def main() -> None:
    default_out = Path(__file__).resolve().parents[3] / "ingest/src/test/resources/golden/audio"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=default_out, help=f"output folder (default {default_out})")
    args = parser.parse_args()
    manifest = write(args.out, GoldenSpec())
    for name, s in manifest["signals"].items():
        print(f"{name}: {s['samples']} samples, {s['frames']} frames, "
              f"librosa float32 vs float64 max |d logmel| = {s['float32_vs_float64_max_abs_logmel']:.2e}")
    print(f"wrote {args.out} ({sum(f.stat().st_size for f in args.out.iterdir()) / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
