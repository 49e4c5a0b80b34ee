package dev.mmstream.demo;

import java.nio.file.Path;
import java.util.Optional;

/** One live stream of the demo: a name shown in the table, the media, its captions if any. */
record DemoSource(String name, String uri, Optional<Path> captions) {}
