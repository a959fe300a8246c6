package io.convey.console.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static List<SseParser.Message> parse(String... lines) {
        SseParser parser = new SseParser();
        List<SseParser.Message> messages = new ArrayList<>();
        for (String line : lines) {
            parser.feed(line).ifPresent(messages::add);
        }
        return messages;
    }

    @Test
    void aBlankLineDispatchesTheEventWithItsTypeAndData() {
        assertThat(parse("event: health", "data: {\"up\":false}", "")).containsExactly(
                new SseParser.Message("health", "{\"up\":false}"));
    }

    @Test
    void dataLinesJoinWithNewlinesAndTheTypeResetsAfterEachEvent() {
        assertThat(parse("event:stats", "data:1", "data: 2", "", "data: x", "")).containsExactly(
                new SseParser.Message("stats", "1\n2"), new SseParser.Message("message", "x"));
    }

    @Test
    void commentsIdsAndEventsWithoutDataAreSkipped() {
        assertThat(parse(": keep-alive", "", "id: 7", "retry: 1000", "event: config", "", "data: y", ""))
                .containsExactly(new SseParser.Message("message", "y"));
    }

    @Test
    void eventsOfTheApplianceDecodeToTypedRecordsAndUnknownTypesAreIgnored() {
        var health = EventStream.decode(new SseParser.Message("health", """
                {"at":"2026-01-02T03:04:05Z","pool":"web","server":"b","addr":"127.0.0.1:9","up":false,
                 "reason":"connection refused"}"""));
        assertThat(health).containsInstanceOf(ApplianceEvent.HealthChanged.class);
        assertThat(((ApplianceEvent.HealthChanged) health.orElseThrow()).reason()).isEqualTo("connection refused");
        assertThat(EventStream.decode(new SseParser.Message("something_new", "{}"))).isEmpty();
    }
}
