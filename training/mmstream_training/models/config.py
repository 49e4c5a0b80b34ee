"""One frozen config for both architectures; it is saved in checkpoints and rebuilds the model exactly."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from mmstream_training import CATALOGUE, MODALITIES

ARCHITECTURES = ("baseline", "hybrid")


@dataclass(frozen=True)
class ModelConfig:
    input_dims: dict[str, int]  # feature columns per modality (dataset.json dims)
    n_labels: int
    arch: str = "hybrid"  # "baseline" = MulT-GMU; "hybrid" adds the early-fusion branch and late fusion
    modalities: tuple[str, ...] = MODALITIES  # the others are masked out (ablations); inputs stay the same
    d: int = 32  # model width (MulT: 30-40)
    n_heads: int = 4
    crossmodal_layers: int = 2  # per (target, source) pair
    self_layers: int = 1  # per target after its two crossmodal streams are merged
    conv_kernel: int = 3  # temporal Conv1D projection; odd so steps stay centred
    dropout: float = 0.15
    early_steps: int = 16  # common time grid of the early-fusion branch (hybrid only)
    pooling: str = "mean"  # "mean", or "meanstd": mean and standard deviation over time (x-vector statistics pooling)
    spec_augment: tuple[str, ...] = ()  # modalities whose training inputs get SpecAugment-style band and time masks
    input_stats: tuple[str, ...] = ()  # modalities whose pooled vector also gets a linear map of the standardized
    # input's mean and std over time: the statistics a shallow classifier uses, which a small corpus learns well
    catalogue: tuple[str, ...] = ()  # catalogue inputs (poster, metadata; in that order) the model takes, each
    # one vector per window that joins the final GMU (and a late head) and is masked when the window lacks it
    catalogue_dims: dict[str, int] = field(default_factory=dict)  # their widths (dataset.json catalogue.dims)
    extra: dict = field(default_factory=dict)  # free-form notes, not read by the model

    def __post_init__(self):
        assert self.arch in ARCHITECTURES, f"arch must be one of {ARCHITECTURES}, got {self.arch!r}"
        unknown = set(self.modalities) - set(MODALITIES)
        assert self.modalities and not unknown, f"modalities must be a non-empty subset of {MODALITIES}"
        assert set(self.input_dims) >= set(MODALITIES), f"input_dims needs {MODALITIES}, got {self.input_dims}"
        assert self.d % self.n_heads == 0, f"d={self.d} must be divisible by n_heads={self.n_heads}"
        assert self.conv_kernel % 2 == 1, f"conv_kernel must be odd, got {self.conv_kernel}"
        assert self.pooling in ("mean", "meanstd"), f"pooling must be mean or meanstd, got {self.pooling!r}"
        assert set(self.spec_augment) <= set(MODALITIES), f"spec_augment names modalities, got {self.spec_augment}"
        assert tuple(self.catalogue) == tuple(c for c in CATALOGUE if c in self.catalogue) and len(
            set(self.catalogue)) == len(self.catalogue), (
            f"catalogue must be a subset of {CATALOGUE} in that order, got {self.catalogue}")
        assert set(self.catalogue_dims) >= set(self.catalogue), (
            f"catalogue_dims needs {self.catalogue}, got {self.catalogue_dims}")

    @property
    def gate_names(self) -> tuple[str, ...]:
        """Names of the GMU inputs, in the order of the `gates` output."""
        return MODALITIES + tuple(self.catalogue) + (("early",) if self.arch == "hybrid" else ())

    def to_dict(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_dict(d: dict) -> ModelConfig:
        """Also reads configs saved before a field existed: it gets its default, which rebuilds that model."""
        return ModelConfig(**{**d, "modalities": tuple(d["modalities"]), "spec_augment": tuple(d.get("spec_augment", ())),
                              "input_stats": tuple(d.get("input_stats", ())),
                              "catalogue": tuple(d.get("catalogue", ())),
                              "catalogue_dims": dict(d.get("catalogue_dims", {}))})
