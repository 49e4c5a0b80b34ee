package dev.mmstream.ingest.extract;

/** A clip that is not in the dataset, and why; a row of {@code errors.csv}. */
public record ClipError(String clipId, String reason) {}
