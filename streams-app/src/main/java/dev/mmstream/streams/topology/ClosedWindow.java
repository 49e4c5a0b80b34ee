package dev.mmstream.streams.topology;

import dev.mmstream.align.AssembledWindow;

/**
 * A window the aligner closed, on its way to scoring.
 *
 * @param originMs the stream's origin: window bounds are relative to it
 * @param closedAtWallMs when it closed (wall clock), for the close → prediction latency
 */
record ClosedWindow(String streamId, long originMs, long closedAtWallMs, AssembledWindow window) implements Flow {}
