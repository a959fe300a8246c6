package io.convey.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemberStateTest {

    private static MemberState member(String name, Map<String, String> health) {
        return new MemberState(name, 5, 0, List.of(), "etcd", "proxy", Instant.EPOCH, 1, null, health, Instant.EPOCH);
    }

    @Test
    void aServerSeenUpByOneMemberAndDownByAnotherIsADisagreement() {
        var disagreements = MemberState.disagreements(List.of(
                member("lb1", Map.of("web/a", "up", "web/b", "up", "web/c", "down")),
                member("lb2", Map.of("web/a", "down", "web/b", "up", "web/c", "unchecked"))));
        assertThat(disagreements).containsOnlyKeys("web/a");
        assertThat(disagreements.get("web/a")).containsExactly(Map.entry("lb1", "up"), Map.entry("lb2", "down"));
    }

    @Test
    void aRecordSurvivesItsJsonAndUnknownKeysAreIgnored() throws Exception {
        MemberState state = member("lb1", Map.of("web/a", "up"));
        assertThat(MemberState.parse(state.json())).hasValue(state);
        assertThat(MemberState.parse("{\"member\":\"lb9\",\"revision\":3,\"later_key\":true}").orElseThrow().member())
                .isEqualTo("lb9");
        assertThat(MemberState.parse("not json")).isEmpty();
    }
}
