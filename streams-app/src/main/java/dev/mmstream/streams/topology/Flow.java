package dev.mmstream.streams.topology;

/**
 * What flows between the pipeline's stages: decoded inputs (decode → align), closed windows (align → score) and
 * outcomes (decode, align, score → route → sinks). Each stage takes the kinds meant for it.
 */
sealed interface Flow permits Input, ClosedWindow, Outcome {}
