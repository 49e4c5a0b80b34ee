/**
 * Video features per sampled frame: BlazeFace finds faces, face-api's expression network (ported to
 * ONNX by {@code training/mmstream_training/faces/convert_face_api.py}) describes the largest one, and a
 * scene descriptor summarises the whole frame. {@link dev.mmstream.ingest.video.VideoFeaturizer} turns a
 * decoded BGR frame into a {@link dev.mmstream.schema.v1.FrameFeatures} record for topic
 * {@code mm.video.frames}. Models are read from the repository's {@code models/} folder, filled by
 * {@code ./mmstream setup}; nothing is downloaded at run time.
 */
package dev.mmstream.ingest.video;
