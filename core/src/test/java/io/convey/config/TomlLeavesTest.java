package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;

/** The guard behind every edit: differences outside the edited path are reported, side effects above it are not. */
class TomlLeavesTest {

    @Test
    void reportsAChangeOutsideTheEditedPath() {
        Map<List<String>, Object> before = TomlLeaves.of(Toml.parse("[a]\nx = 1\ny = \"s\"\n[b]\n"));
        Map<List<String>, Object> after = TomlLeaves.of(Toml.parse("[a]\nx = 2\ny = \"t\"\n[b]\n"));
        before.put(List.of("a", "x"), 2L);

        assertThat(TomlLeaves.differences(before, after, List.of("a", "x")))
                .containsExactly("a.y: \"s\" → \"t\"");
    }

    @Test
    void toleratesAParentTableBecomingEmptyButNotAnUnrelatedOne() {
        Map<List<String>, Object> before = TomlLeaves.of(Toml.parse("[a]\nx = 1\n[b]\nz = 1\n"));
        Map<List<String>, Object> after = TomlLeaves.of(Toml.parse("[a]\n[b]\n"));
        before.remove(List.of("a", "x"));

        assertThat(TomlLeaves.differences(before, after, List.of("a", "x")))
                .containsExactly("b.z: 1 → absent", "b: absent → {}");
    }

    @Test
    void keysWithDotsStayOneKey() {
        assertThat(TomlLeaves.of(Toml.parse("[\"a.b\"]\n\"c d\" = [1, 2]\n")))
                .containsOnlyKeys(List.of("a.b", "c d"));
    }
}
