"""Readers for the public research datasets in their own formats (CMU-MOSEI as the CMU-MultimodalSDK and the
word-aligned HDF5 files distribute it; Moviescope's feature files) and `./mmstream reproduce`, which trains the
baseline and the hybrid on them with the seed report's settings and prints its Tables 1-3 beside its figures.

Models trained here are for research only: their inputs (GloVe, COVAREP, FACET, VGG16) are not the features
mmstream's ingest computes from live media, so they cannot be served on streams."""

import mmstream_training  # noqa: F401  (sets OpenMP's wait policy before torch loads)
