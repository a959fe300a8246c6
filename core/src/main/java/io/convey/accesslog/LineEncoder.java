package io.convey.accesslog;

import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/** Encodes already formatted access-log lines (each ending in a newline): their UTF-8 bytes, nothing around them. */
final class LineEncoder extends EncoderBase<String> {
    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(String line) {
        return line.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
