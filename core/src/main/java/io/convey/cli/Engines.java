package io.convey.cli;

import io.convey.config.Mode;
import io.convey.engine.Engine;

/** Builds the engine for a mode. */
final class Engines {
    private Engines() {}

    static Engine create(Mode mode) {
        return switch (mode) {
            case PROXY -> Engine.proxy(0);
            case PASSTHROUGH, DSR -> Engine.packet(mode);
        };
    }
}
