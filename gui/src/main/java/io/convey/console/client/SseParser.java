package io.convey.console.client;

import java.util.Optional;

/**
 * Server-Sent Events framing, one line at a time (WHATWG HTML, "9.2.6 Interpreting an event stream"):
 * {@code event:} and {@code data:} fields, a blank line dispatches, {@code :} starts a comment. Not thread-safe;
 * one parser per connection.
 */
public final class SseParser {
    private String event = "message";
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /** One dispatched event: its type and its data lines joined by newlines. */
    public record Message(String event, String data) {
    }

    /** Feeds one line (without its line terminator); returns the event a blank line completes. */
    public Optional<Message> feed(String line) {
        if (line.isEmpty()) {
            Optional<Message> message = hasData ? Optional.of(new Message(event, data.toString())) : Optional.empty();
            event = "message";
            data.setLength(0);
            hasData = false;
            return message;
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> event = value.isEmpty() ? "message" : value;
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            default -> { } // id and retry: the console reconnects on its own schedule
        }
        return Optional.empty();
    }
}
