"""Feature datasets: the Avro windows written by `extract`, validated and padded into model batches."""

from mmstream_training.data.dataset import (
    Batch, Dataset, DatasetError, DatasetInfo, catalogue_stats, check_splits, feature_stats, load_dataset,
    load_datasets,
)

__all__ = ["Batch", "Dataset", "DatasetError", "DatasetInfo", "catalogue_stats", "check_splits", "feature_stats",
           "load_dataset", "load_datasets"]
