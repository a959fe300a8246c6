package io.convey.accesslog;

import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/** Encodes an already formatted access-log line: its UTF-8 bytes and a newline, nothing around it. */
final class LineEncoder extends EncoderBase<String> {
    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(String line) {
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
