"""The Avro contract of dataset windows, parsed from the project's .avsc files (the single source of truth)."""

from __future__ import annotations

from pathlib import Path

import fastavro
import fastavro.schema

# training/mmstream_training/data/schema.py -> repository root is three folders up from the package.
DEFAULT_AVRO_ROOT = Path(__file__).resolve().parents[3] / "schemas" / "src" / "main" / "avro"

# ModelWindow references Task, Matrix and CatalogueFeatures by name; fastavro needs them parsed first.
_MODEL_WINDOW_FILES = ("common/Task.avsc", "common/Matrix.avsc", "common/CatalogueFeatures.avsc",
                       "dataset/ModelWindow.avsc")


def model_window_schema(avro_root: Path = DEFAULT_AVRO_ROOT) -> dict:
    """Parsed `dev.mmstream.schema.v1.ModelWindow` with its named types resolved."""
    paths = [avro_root / rel for rel in _MODEL_WINDOW_FILES]
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"Avro schema {path} is missing; run from a full mmstream checkout")
    # Ordered loading inlines Task and Matrix, so the schema written into container files is self-contained.
    return fastavro.schema.load_schema_ordered([str(p) for p in paths])
