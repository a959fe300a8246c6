package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySuggestionTest {
    private static final Set<String> SERVER = Set.of("addr", "weight", "state");
    private static final Set<String> POOL = Set.of("servers", "health_check_interval", "health_check_interval_ms",
            "health_check_timeout_ms", "rise", "fall", "connect_timeout_ms", "idle_timeout_s", "algorithm");

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        wieght                  | server | weight
        weigth                  | server | weight
        Weight                  | server | weight
        wight                   | server | weight
        adr                     | server | addr
        addr2                   | server | addr
        stat                    | server | state
        port                    | server | -
        x                       | server | -
        ad                      | server | -
        wt                      | server | -
        health_check_intervall  | pool   | health_check_interval
        health_check_interval_s | pool   | health_check_interval_ms
        health                  | pool   | health_check_interval
        algo                    | pool   | algorithm
        algoritm                | pool   | algorithm
        server                  | pool   | servers
        connect_timeout         | pool   | connect_timeout_ms
        timeout                 | pool   | -
        rice                    | pool   | rise
        """)
    void suggestsTheNearestKnownKey(String typed, String table, String expected) {
        assertThat(KeySuggestion.nearest(typed, table.equals("server") ? SERVER : POOL)).isEqualTo(
                java.util.Optional.ofNullable(expected));
    }

    @Test
    void aTranspositionIsOneEdit() {
        assertThat(KeySuggestion.distance("wieght", "weight")).isEqualTo(1);
        assertThat(KeySuggestion.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(KeySuggestion.distance("", "abc")).isEqualTo(3);
        assertThat(KeySuggestion.distance("ca", "abc")).isEqualTo(3); // OSA, not full Damerau-Levenshtein (2)
    }

    @Test
    void tiesAreBrokenAlphabetically() {
        assertThat(KeySuggestion.nearest("rall", Arrays.asList("rise", "fall", "ball"))).contains("ball");
    }
}
