"""MulT-GMU (Rodríguez-Bribiesca et al. 2021) and the hybrid early/late fusion model, in one module.

Data flow (B = batch, T_m = steps of modality m, d = model width, C = labels):
  x_m (B,T_m,D_m) --standardize (train-split stats)--> --Conv1D+positions--> z_m (B,T_m,d)
  for each target t: z_t attends to z_s for both other sources s (crossmodal stacks) -> concat -> linear
                     -> self-attention -> masked mean -> h_t (B,d)
  baseline: GMU(h_text, h_audio, h_video) -> head -> logits
  hybrid:   z_m resampled to a common grid (B,K,d) -> per-step GMU -> self-attention -> mean -> h_early;
            GMU(h_text, h_audio, h_video, h_early) -> head, mixed with per-modality heads on h_m by softmax
            weights over the inputs that are present (late fusion).
  catalogue inputs c (cfg.catalogue: poster, metadata), one vector per window x_c (B,D_c) with a mask (B,):
            --standardize--> Linear->GELU->Dropout->Linear -> h_c (B,d); each joins the final GMU after h_video
            (before h_early) and, in the hybrid, gets its own late head.
A modality that is absent (all-false mask) or switched off in the config pools to zero, its gates are zero and
its late head gets zero weight, so its input values cannot change the output; so does an absent catalogue input
(mask False), whose row is replaced by zeros before anything reads it."""

from __future__ import annotations

import torch
from torch import nn

from mmstream_training import MODALITIES
from mmstream_training.models.blocks import (
    AttentionStack,
    GatedMultimodalUnit,
    masked_mean,
    masked_std,
    resample,
    sinusoid,
    spec_augment,
)
from mmstream_training.models.config import ModelConfig


class Standardizer(nn.Module):
    """Per-feature (x - mean) / std with the stats as buffers (fitted on the train split by set_normalization), so
    the exported ONNX graph holds them and serving feeds raw features."""

    def __init__(self, in_dim: int):
        super().__init__()
        self.register_buffer("mean", torch.zeros(in_dim))  # identity until set_normalization
        self.register_buffer("std", torch.ones(in_dim))

    def set_normalization(self, mean: torch.Tensor, std: torch.Tensor) -> None:
        assert mean.shape == self.mean.shape and std.shape == self.std.shape, (
            f"normalization stats must have shape {tuple(self.mean.shape)}, "
            f"got {tuple(mean.shape)}, {tuple(std.shape)}")
        assert bool((std > 0).all()), "normalization std must be positive"
        self.mean.copy_(mean)
        self.std.copy_(std)


class ModalityEncoder(Standardizer):
    """Per-feature standardization, temporal Conv1D projection plus positions: (B,T,D_m), (B,T) -> (B,T,d),
    padded steps zero.

    The standardization lives in the model (buffers `mean`, `std`, fitted on the train split by
    set_normalization) so the exported ONNX graph holds it and serving feeds raw features: real features span
    very different scales (log-mel about -23..5, energy -100..0 dBFS, MiniLM states about +-1)."""

    def __init__(self, in_dim: int, d: int, kernel: int, dropout: float, augment: bool = False):
        super().__init__(in_dim)
        self.augment = augment
        self.conv = nn.Conv1d(in_dim, d, kernel, padding=kernel // 2, bias=False)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        m = mask.unsqueeze(-1).to(x.dtype)  # (B,T,1)
        x = (x - self.mean) / self.std * m  # (B,T,D_m); masking after the shift keeps padded steps exactly zero
        if self.augment and self.training:
            x = spec_augment(x)
        y = self.conv(x.transpose(1, 2)).transpose(1, 2)  # (B,T,d); padding cannot leak into real steps
        y = y + sinusoid(y.shape[1], y.shape[2], y.device)
        return self.drop(y) * m


class CatalogueEncoder(Standardizer):
    """One catalogue vector per window: standardization (stats over the train windows that have it), then
    Linear->GELU->Dropout->Linear: (B,D_c), (B,) -> (B,d), exactly zero where absent."""

    def __init__(self, in_dim: int, d: int, dropout: float):
        super().__init__(in_dim)
        self.mlp = nn.Sequential(nn.Linear(in_dim, d), nn.GELU(), nn.Dropout(dropout), nn.Linear(d, d))

    def forward(self, x: torch.Tensor, present: torch.Tensor) -> torch.Tensor:
        p = present.unsqueeze(-1)  # (B,1)
        # where, not a product: an absent row's values (even Inf or NaN) must not reach the output
        x = torch.where(p, (x - self.mean) / self.std, torch.zeros_like(x))  # (B,D_c)
        return self.mlp(x) * p.to(x.dtype)  # (B,d)


class FusionModel(nn.Module):
    """forward(text, audio, video, text_mask, audio_mask, video_mask, *catalogue) -> probs (B,C), gates (B,M).
    `catalogue`: for each name in cfg.catalogue, its vector (B,D_c) float and mask (B,) bool, in that order
    (the ONNX inputs poster, poster_mask, metadata, metadata_mask); nothing for a model without catalogue."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        d, h, p = cfg.d, cfg.n_heads, cfg.dropout
        self.hybrid = cfg.arch == "hybrid"
        self.encoders = nn.ModuleDict(
            {m: ModalityEncoder(cfg.input_dims[m], d, cfg.conv_kernel, p, m in cfg.spec_augment) for m in MODALITIES}
        )
        self.cross = nn.ModuleDict(
            {
                f"{s}_to_{t}": AttentionStack(d, h, p, cfg.crossmodal_layers, self_attention=False)
                for t in MODALITIES
                for s in MODALITIES
                if s != t
            }
        )
        self.merge = nn.ModuleDict({t: nn.Linear(2 * d, d) for t in MODALITIES})
        self.self_attn = nn.ModuleDict(
            {t: AttentionStack(d, h, p, cfg.self_layers, self_attention=True) for t in MODALITIES}
        )
        if cfg.pooling == "meanstd":
            self.pool_proj = nn.ModuleDict({t: nn.Linear(2 * d, d) for t in MODALITIES})
        self.stats_proj = nn.ModuleDict({t: nn.Linear(2 * cfg.input_dims[t], d) for t in cfg.input_stats})
        # A buffer rather than Python branching, so disabled modalities keep their ONNX inputs.
        self.register_buffer("enabled", torch.tensor([m in cfg.modalities for m in MODALITIES]), persistent=False)
        self.catalogue_encoders = nn.ModuleDict({c: CatalogueEncoder(cfg.catalogue_dims[c], d, p) for c in cfg.catalogue})
        self.gmu = GatedMultimodalUnit(d, len(cfg.gate_names))
        self.head = nn.Sequential(nn.Linear(d, d), nn.GELU(), nn.Dropout(p), nn.Linear(d, cfg.n_labels))
        if self.hybrid:
            self.early_gmu = GatedMultimodalUnit(d, len(MODALITIES))
            self.early_self = AttentionStack(d, h, p, cfg.self_layers, self_attention=True)
            late_inputs = MODALITIES + tuple(cfg.catalogue)
            self.late_heads = nn.ModuleDict({m: nn.Linear(d, cfg.n_labels) for m in late_inputs})
            self.mix = nn.Parameter(torch.zeros(1 + len(late_inputs)))  # fused, text, audio, video, catalogue...

    def forward(self, text, audio, video, text_mask, audio_mask, video_mask, *catalogue) -> tuple[torch.Tensor, torch.Tensor]:
        logits, gates = self.forward_logits(text, audio, video, text_mask, audio_mask, video_mask, *catalogue)
        return torch.sigmoid(logits), gates

    def forward_logits(self, text, audio, video, text_mask, audio_mask, video_mask, *catalogue):
        """Same inputs; returns logits (B,C) for the loss and gates (B,M)."""
        logits, gates, _, _ = self.forward_heads(text, audio, video, text_mask, audio_mask, video_mask, *catalogue)
        return logits, gates

    def forward_heads(self, text, audio, video, text_mask, audio_mask, video_mask, *catalogue):
        """Same inputs; returns logits (B,C), gates (B,M), and for the hybrid its late heads' logits (B,L,C) with
        their presence (B,L), L = 3 modalities + the catalogue inputs, so training can supervise each head on its
        own (late fusion's unimodal classifiers); None, None for the baseline, which has no such heads."""
        names = self.cfg.catalogue
        assert len(catalogue) == 2 * len(names), (
            f"the model takes catalogue inputs {names} (a vector and a mask each) after the six temporal inputs, "
            f"got {len(catalogue)} more tensors")
        cat_present = [mask.to(torch.bool) for mask in catalogue[1::2]]  # each (B,)
        cat_h = [self.catalogue_encoders[c](x, m) for c, x, m in zip(names, catalogue[0::2], cat_present)]  # (B,d)
        feats = dict(zip(MODALITIES, (text, audio, video)))
        masks = {m: mask & self.enabled[i] for i, (m, mask) in enumerate(zip(MODALITIES, (text_mask, audio_mask, video_mask)))}
        z = {m: self.encoders[m](feats[m], masks[m]) for m in MODALITIES}  # each (B,T_m,d)
        present = torch.stack([masks[m].to(text.dtype).sum(dim=1) > 0 for m in MODALITIES], dim=1)  # (B,3)

        pooled = []
        for t in MODALITIES:
            if t not in self.cfg.modalities:  # switched off (ablations): all its steps are masked, so it pools
                pooled.append(z[t].new_zeros(z[t].shape[0], z[t].shape[2]))  # to exactly zero; skip the work
                continue
            streams = [self.cross[f"{s}_to_{t}"](z[t], z[s], masks[s]) for s in MODALITIES if s != t]  # 2x(B,T_t,d)
            x = self.merge[t](torch.cat(streams, dim=-1))  # (B,T_t,d)
            x = self.self_attn[t](x, x, masks[t])  # (B,T_t,d)
            h = self.pool(t, x, masks[t])  # (B,d), zero when t is absent
            if t in self.stats_proj:
                h = h + self.input_statistics(t, feats[t], masks[t])
            pooled.append(h)
        fused_in = list(pooled) + cat_h  # (3+n_cat) x (B,d)
        fused_present = torch.cat([present] + [m.unsqueeze(1) for m in cat_present], dim=1)  # (B,3+n_cat)
        late_present = fused_present  # each late head counts only where its input is present

        if self.hybrid:
            k = self.cfg.early_steps
            grid = [resample(z[m], masks[m], k) for m in MODALITIES]  # 3x(B,K,d)
            step_present = present.unsqueeze(1).expand(-1, k, -1)  # (B,K,3)
            e, _ = self.early_gmu(grid, step_present)  # (B,K,d)
            e = e + sinusoid(k, e.shape[-1], e.device)
            any_present = present.any(dim=1, keepdim=True)  # (B,1)
            grid_mask = any_present.expand(-1, k)  # (B,K)
            e = self.early_self(e, e, grid_mask)  # (B,K,d)
            fused_in.append(masked_mean(e, grid_mask))  # h_early (B,d)
            fused_present = torch.cat([fused_present, any_present], dim=1)  # (B,3+n_cat+1)

        fused, gates = self.gmu(fused_in, fused_present)  # (B,d), (B,M,d)
        logits = self.head(fused)  # (B,C)
        late = None
        if self.hybrid:
            heads = MODALITIES + tuple(names)
            late = torch.stack([self.late_heads[m](h) for m, h in zip(heads, pooled + cat_h)], dim=1)  # (B,L,C)
            per_head = torch.cat([logits.unsqueeze(1), late], dim=1)  # (B,1+L,C)
            use = torch.cat([torch.ones_like(late_present[:, :1]), late_present], dim=1)  # (B,1+L): fused head always
            w = torch.softmax(self.mix.expand(use.shape[0], -1).masked_fill(~use, float("-inf")), dim=1)  # (B,1+L)
            logits = (per_head * w.unsqueeze(-1)).sum(dim=1)  # (B,C)
        else:
            late_present = None
        return logits, gates.mean(dim=-1), late, late_present  # (B,C), (B,M), (B,L,C), (B,L)

    def pool(self, t: str, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """(B,T,d), (B,T) -> (B,d): the masked mean, or mean and std projected back to d; zero when absent."""
        mean = masked_mean(x, mask)
        if self.cfg.pooling == "mean":
            return mean
        present = mask.any(dim=1, keepdim=True).to(x.dtype)  # (B,1)
        return self.pool_proj[t](torch.cat([mean, masked_std(x, mask, mean)], dim=-1)) * present

    def input_statistics(self, t: str, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """(B,T,D_t), (B,T) -> (B,d): a linear map of the standardized input's mean and std over the real steps,
        zero when t is absent."""
        enc = self.encoders[t]
        z = (x - enc.mean) / enc.std * mask.unsqueeze(-1).to(x.dtype)  # (B,T,D_t)
        mean = masked_mean(z, mask)  # (B,D_t)
        present = mask.any(dim=1, keepdim=True).to(x.dtype)  # (B,1)
        return self.stats_proj[t](torch.cat([mean, masked_std(z, mask, mean)], dim=-1)) * present

    def set_normalization(self, stats: dict[str, tuple[torch.Tensor, torch.Tensor]]) -> None:
        """stats[m] = (mean, std), each (D_m,), applied to modality m's (or catalogue input m's) raw features
        before its projection."""
        for m, (mean, std) in stats.items():
            encoder = self.encoders[m] if m in self.encoders else self.catalogue_encoders[m]
            encoder.set_normalization(mean, std)

    def n_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())
