"""Building blocks. Masks are bool, True = real step. Every attention gets one always-real learned "null" key
in front of its source, so a source with no real step (missing modality) yields a finite output instead of the
NaN that softmax over all-masked keys gives in PyTorch."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def sinusoid(t: int, d: int, device: torch.device) -> torch.Tensor:
    """Positional encoding (Vaswani et al.) for any length, so the ONNX time axis can stay dynamic: (T,D)."""
    pos = torch.arange(t, device=device, dtype=torch.float32).unsqueeze(1)  # (T,1)
    freq = torch.exp(torch.arange(0, d, 2, device=device, dtype=torch.float32) * (-math.log(10000.0) / d))
    angle = pos * freq  # (T,D/2)
    return torch.stack([torch.sin(angle), torch.cos(angle)], dim=-1).flatten(1)  # (T,D)


def masked_mean(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """(B,T,D), (B,T) -> (B,D); an all-masked row pools to exactly zero."""
    m = mask.unsqueeze(-1).to(x.dtype)  # (B,T,1)
    return (x * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)


def masked_std(x: torch.Tensor, mask: torch.Tensor, mean: torch.Tensor) -> torch.Tensor:
    """(B,T,D), (B,T), (B,D) -> (B,D): standard deviation over the real steps; zero for an absent row."""
    m = mask.unsqueeze(-1).to(x.dtype)  # (B,T,1)
    var = (((x - mean.unsqueeze(1)) ** 2) * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)
    return torch.sqrt(var + 1e-6) * (m.sum(dim=1) > 0).to(x.dtype)


def spec_augment(x: torch.Tensor, max_band: int = 8, max_steps: float = 0.2) -> torch.Tensor:
    """Training-time masks on standardized features (B,T,D): per window one band of up to `max_band` feature
    columns and one span of up to `max_steps` of the steps set to 0, the training mean (Park et al. 2019)."""
    b, t, d = x.shape
    device = x.device
    band = torch.randint(0, max_band + 1, (b, 1), device=device)
    band_start = (torch.rand(b, 1, device=device) * (d - band).clamp(min=1)).long()
    cols = torch.arange(d, device=device).unsqueeze(0)  # (1,D)
    col_mask = (cols >= band_start) & (cols < band_start + band)  # (B,D)
    span = (torch.rand(b, 1, device=device) * max_steps * t).long()
    span_start = (torch.rand(b, 1, device=device) * (t - span).clamp(min=1)).long()
    steps = torch.arange(t, device=device).unsqueeze(0)  # (1,T)
    step_mask = (steps >= span_start) & (steps < span_start + span)  # (B,T)
    keep = ~(col_mask.unsqueeze(1) | step_mask.unsqueeze(2))  # (B,T,D)
    return x * keep.to(x.dtype)


def resample(x: torch.Tensor, mask: torch.Tensor, steps: int) -> torch.Tensor:
    """Masked resampling of the real steps of x onto a fixed grid of `steps` points over the window:
    (B,T,D), (B,T) -> (B,K,D). Real step j of n sits at relative time (j+0.5)/n; each grid point takes a
    triangular-weighted mean of the steps within max(1/K, 1/n) of it: linear interpolation when n < K,
    local pooling when n > K. Every grid point of a present modality gets weight; an absent one gives zeros."""
    m = mask.to(x.dtype)  # (B,T)
    n = m.sum(dim=1, keepdim=True).clamp(min=1.0)  # (B,1)
    pos = (torch.cumsum(m, dim=1) - 0.5) / n  # (B,T)
    grid = (torch.arange(steps, device=x.device, dtype=x.dtype) + 0.5) / steps  # (K,)
    width = torch.clamp(1.0 / n, min=1.0 / steps).unsqueeze(-1)  # (B,1,1)
    w = F.relu(1.0 - (pos.unsqueeze(1) - grid.view(1, -1, 1)).abs() / width) * m.unsqueeze(1)  # (B,K,T)
    w = w / w.sum(dim=-1, keepdim=True).clamp(min=1e-6)  # (B,K,T)
    return torch.bmm(w, x)  # (B,K,D)


class MultiHeadAttention(nn.Module):
    """Scaled dot-product attention with a key mask: (B,Tq,D), (B,Tk,D), (B,Tk) -> (B,Tq,D).
    Written out rather than nn.MultiheadAttention because the TorchScript ONNX exporter bakes that module's
    traced sequence lengths into Reshape nodes, which breaks dynamic time axes."""

    def __init__(self, d: int, n_heads: int):
        super().__init__()
        self.n_heads, self.head_dim = n_heads, d // n_heads
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.out = nn.Linear(d, d)

    def forward(self, x: torch.Tensor, source: torch.Tensor, key_real: torch.Tensor) -> torch.Tensor:
        b, h, dh = x.shape[0], self.n_heads, self.head_dim
        q = self.q(x).reshape(b, -1, h, dh).transpose(1, 2)  # (B,h,Tq,dh)
        k, v = self.kv(source).reshape(b, -1, 2, h, dh).permute(2, 0, 3, 1, 4)  # 2 x (B,h,Tk,dh)
        scores = torch.matmul(q, k.transpose(-1, -2)) * dh**-0.5  # (B,h,Tq,Tk)
        scores = scores.masked_fill(~key_real[:, None, None, :], float("-inf"))
        y = torch.matmul(torch.softmax(scores, dim=-1), v)  # (B,h,Tq,dh)
        return self.out(y.transpose(1, 2).reshape(b, -1, h * dh))  # (B,Tq,D)


class AttentionBlock(nn.Module):
    """Pre-norm transformer block, target attends to source (MulT crossmodal block, or self-attention when
    source is target): (B,Tt,D), (B,Ts,D), (B,Ts) -> (B,Tt,D)."""

    def __init__(self, d: int, n_heads: int, dropout: float):
        super().__init__()
        self.norm_q, self.norm_kv = nn.LayerNorm(d), nn.LayerNorm(d)
        self.null = nn.Parameter(torch.randn(1, 1, d) * 0.02)  # the always-real key
        # No dropout on attention weights: on CPU their random masks cost a fifth of a training step.
        self.attn = MultiHeadAttention(d, n_heads)
        self.ff = nn.Sequential(
            nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.GELU(), nn.Dropout(dropout), nn.Linear(4 * d, d)
        )
        self.drop = nn.Dropout(dropout)

    def forward(self, target: torch.Tensor, source: torch.Tensor, source_mask: torch.Tensor) -> torch.Tensor:
        b = source.shape[0]
        kv = self.norm_kv(torch.cat([self.null.expand(b, -1, -1), source], dim=1))  # (B,1+Ts,D)
        real = torch.cat([torch.ones_like(source_mask[:, :1]), source_mask], dim=1)  # (B,1+Ts)
        attended = self.attn(self.norm_q(target), kv, real)  # (B,Tt,D)
        x = target + self.drop(attended)  # (B,Tt,D)
        return x + self.drop(self.ff(x))


class AttentionStack(nn.Module):
    """n AttentionBlocks; the source stays fixed for cross-attention (as in MulT), follows x for self-attention."""

    def __init__(self, d: int, n_heads: int, dropout: float, n_layers: int, self_attention: bool):
        super().__init__()
        self.blocks = nn.ModuleList(AttentionBlock(d, n_heads, dropout) for _ in range(n_layers))
        self.self_attention = self_attention
        self.norm = nn.LayerNorm(d)

    def forward(self, x: torch.Tensor, source: torch.Tensor, source_mask: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            x = block(x, x if self.self_attention else source, source_mask)
        return self.norm(x)  # (B,Tt,D)


class GatedMultimodalUnit(nn.Module):
    """h = sum_m z_m * tanh(W_m x_m), one sigmoid gate vector per input (Arevalo et al. 2017), with absent
    inputs' gates forced to zero. Works per sample or per step: M x (...,D), (...,M) -> (...,D), gates (...,M,D)."""

    def __init__(self, d: int, n_inputs: int):
        super().__init__()
        self.proj = nn.ModuleList(nn.Linear(d, d) for _ in range(n_inputs))
        self.gate = nn.Linear(n_inputs * d, n_inputs * d)

    def forward(self, xs: list[torch.Tensor], present: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        p = present.to(xs[0].dtype).unsqueeze(-1)  # (...,M,1)
        x = torch.stack(xs, dim=-2) * p  # (...,M,D): absent inputs give exact zeros to the gate input
        h = torch.stack([torch.tanh(proj(x[..., i, :])) for i, proj in enumerate(self.proj)], dim=-2)  # (...,M,D)
        z = torch.sigmoid(self.gate(x.flatten(-2))).view_as(h) * p  # (...,M,D)
        return (z * h).sum(dim=-2), z
