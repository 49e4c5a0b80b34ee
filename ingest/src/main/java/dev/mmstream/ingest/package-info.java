/** Ingest: decode media and captions, compute features, publish them to Kafka. */
package dev.mmstream.ingest;
