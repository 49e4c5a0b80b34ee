"""mmstream training: reads feature datasets written by `extract`, trains the MulT-GMU baseline and the
hybrid early/late fusion model, evaluates them like the seed paper and exports ONNX for the streams app."""

import os

# Set before torch loads OpenMP: its default busy-waiting makes each training step ~15x slower when the
# (shared, 2-core) machine is oversubscribed; passive waiting costs nothing on an idle machine.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

MODALITIES = ("text", "audio", "video")
# Optional per-trailer vectors (no time axis), in the order of the ONNX inputs: the poster through the frame
# featurizer and the catalogue metadata (year, runtime, title, plot); each masked when absent.
CATALOGUE = ("poster", "metadata")


def _quiet_nnpack() -> None:
    # On CPUs NNPACK does not support, the first convolution of every thread logs "Could not initialize
    # NNPACK! Reason: Unsupported hardware." (eight lines at each export). Our convolutions are 1-D and never
    # take NNPACK's path, so turning it off changes no result and no speed.
    import torch

    torch.backends.nnpack.set_flags(False)


_quiet_nnpack()
