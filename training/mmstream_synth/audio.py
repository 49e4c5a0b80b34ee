"""Speech from espeak-ng, effects and synth tones from SoX, mixing in numpy.

All audio is mono float32 at RATE Hz. espeak-ng and SoX are deterministic for fixed arguments
(SoX runs with -R and -D: repeatable random numbers, no dither); every random choice, noise included,
comes from the clip's own numpy generator, so a clip is the same whichever process renders it.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import tools

RATE = 22050  # espeak-ng's native rate; ingest resamples to 16 kHz itself


@dataclass(frozen=True)
class Voice:
    """espeak-ng arguments: -v en-us+VARIANT -p PITCH -s SPEED -a AMPLITUDE, SSML pitch range."""

    variant: str
    pitch: int  # 0..99
    speed: int  # words per minute
    amplitude: int  # 0..200
    pitch_range: int  # percent of the voice's normal range

    def args(self) -> list[str]:
        return ["-v", f"en-us+{self.variant}", "-p", str(self.pitch), "-s", str(self.speed),
                "-a", str(self.amplitude)]


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise tools.ToolError(f"{path}: expected 16-bit mono WAV, got {w.getsampwidth() * 8}-bit "
                                  f"{w.getnchannels()}-channel")
        if w.getframerate() != RATE:
            raise tools.ToolError(f"{path}: expected {RATE} Hz, got {w.getframerate()} Hz")
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / 32768.0


def write_wav(samples: np.ndarray, path: Path) -> None:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


def speak(text: str, voice: Voice, work: Path) -> np.ndarray:
    """One sentence of speech, without the trailing sentence pause (-z)."""
    out = work / "speech.wav"
    ssml = f'<speak><prosody range="{voice.pitch_range}%">{_escape(text)}</prosody></speak>'
    tools.run(["espeak-ng", "-m", "-z", *voice.args(), "-w", str(out), ssml])
    return _trim_silence(read_wav(out))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _trim_silence(x: np.ndarray, floor: float = 1e-3) -> np.ndarray:
    loud = np.flatnonzero(np.abs(x) > floor)
    return x[loud[0]:loud[-1] + 1] if loud.size else x[:0]


def sox_effects(x: np.ndarray, effects: list[str], work: Path) -> np.ndarray:
    """Runs a SoX effects chain over x; the result keeps x's length (tails are cut)."""
    if not effects or x.size == 0:
        return x
    src, dst = work / "fx_in.wav", work / "fx_out.wav"
    write_wav(x, src)
    tools.run(["sox", "-R", "-D", str(src), str(dst), *effects])
    y = read_wav(dst)
    return fit_length(y, x.size)


def sox_tone(seconds: float, voices: list[tuple[str, float]], work: Path, name: str) -> np.ndarray:
    """A chord from `sox -n synth`: each voice is (waveform, frequency Hz), mixed and faded."""
    out = work / f"{name}.wav"
    synth: list[str] = []
    for shape, freq in voices:
        synth += [shape, f"{freq:.2f}"]
    tools.run(["sox", "-R", "-D", "-n", "-r", str(RATE), "-b", "16", "-c", "1", str(out),
               "synth", f"{seconds:.4f}", *synth, "fade", "q", "0.005", f"{seconds:.4f}",
               f"{min(seconds * 0.6, 0.3):.4f}", "gain", "-n", "-6"])
    return read_wav(out)


def fit_length(x: np.ndarray, n: int) -> np.ndarray:
    return x[:n] if x.size >= n else np.concatenate([x, np.zeros(n - x.size, np.float32)])


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if x.size else 0.0


def coloured_noise(rng: np.random.Generator, n: int, tilt: float) -> np.ndarray:
    """Unit-RMS noise with a 1/f**tilt power spectrum: 0 = white, 1 = pink, 2 = brown."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(spectrum.size, dtype=np.float64)
    f[0] = 1.0
    x = np.fft.irfft(spectrum / f ** (tilt / 2), n).astype(np.float32)
    return x / max(rms(x), 1e-9)


def add_noise(x: np.ndarray, rng: np.random.Generator, snr_db: float, tilt: float) -> np.ndarray:
    """Adds noise at snr_db relative to the RMS of x's loud part (speech, not pauses)."""
    loud = x[np.abs(x) > 0.02]
    level = rms(loud) if loud.size else 0.05
    return x + coloured_noise(rng, x.size, tilt) * level * 10 ** (-snr_db / 20)


def peak_normalise(x: np.ndarray, peak: float = 0.9) -> np.ndarray:
    m = float(np.max(np.abs(x))) if x.size else 0.0
    return x * (peak / m) if m > peak else x


def envelope(x: np.ndarray, fps: int, n_frames: int) -> np.ndarray:
    """Per-video-frame RMS of x, scaled to [0, 1]: drives the mouth while speaking."""
    hop = RATE / fps
    env = np.array([rms(x[int(i * hop):int((i + 1) * hop)]) for i in range(n_frames)], np.float32)
    top = float(np.percentile(env, 95)) if env.size else 0.0
    return np.clip(env / top, 0.0, 1.0) if top > 0 else env
