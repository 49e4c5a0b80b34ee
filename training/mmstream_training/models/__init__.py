"""The fusion models: MulT-GMU baseline and the hybrid early/late fusion model, one config dataclass."""

from mmstream_training.models.config import ModelConfig
from mmstream_training.models.fusion import FusionModel

__all__ = ["FusionModel", "ModelConfig"]
