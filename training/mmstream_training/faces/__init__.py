"""Face models for the video featurizer: the face-api expression network rebuilt in PyTorch and exported to ONNX."""
