package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tomlj.TomlParseResult;

/** Edits on the original convey's own config files (verbatim fixtures): only the intended lines change. */
class TomlEditorTest {

    private static final List<String> POOL_3000 = List.of("backends", "tcp3000_out");
    private static final List<String> SERVERS_3000 = List.of("backends", "tcp3000_out", "servers");

    static String fixture(String name) {
        try (InputStream in = TomlEditorTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> path(List<String> prefix, String... keys) {
        return TomlOutline.concat(prefix, List.of(keys));
    }

    @Test
    void changingOneWeightChangesExactlyThatLine() {
        String original = fixture("/original/sample-proxy.toml");
        TomlEditor editor = new TomlEditor(original).set(path(SERVERS_3000, "server2", "weight"), 50);

        assertThat(LineDiff.of(original, editor.text()))
                .containsExactly("-17:    weight = 100\n", "+17:    weight = 50\n");
        assertThat(editor.verify().getLong("backends.tcp3000_out.servers.server2.weight")).isEqualTo(50L);
    }

    @Test
    void addingAWeightWhereNoneExistedAddsOneIndentedLineAfterTheServersLastKey() {
        String original = fixture("/original/sample-proxy.toml");
        TomlEditor editor = new TomlEditor(original)
                .set(List.of("backends", "tcp3001_out", "servers", "server3", "weight"), 7);

        assertThat(LineDiff.of(original, editor.text())).containsExactly("+33:    weight = 7\n");
        assertThat(editor.verify().getLong("backends.tcp3001_out.servers.server3.weight")).isEqualTo(7L);
    }

    @Test
    void addingAPoolSettingGoesAfterThePoolsOwnKeysBeforeItsServers() {
        String original = fixture("/original/sample-proxy.toml");
        TomlEditor editor = new TomlEditor(original).set(path(POOL_3000, "algorithm"), "least-connections");

        assertThat(LineDiff.of(original, editor.text()))
                .containsExactly("+11:  algorithm = \"least-connections\"\n");
        assertThat(editor.verify().getString("backends.tcp3000_out.algorithm")).isEqualTo("least-connections");
    }

    @Test
    void addedServerFollowsTheLastSiblingWithTheSiblingsIndentation() {
        String original = fixture("/original/sample-proxy.toml");
        LinkedHashMap<String, Object> server = new LinkedHashMap<>();
        server.put("addr", "192.168.1.200:80");
        server.put("weight", 3);
        TomlEditor editor = new TomlEditor(original).addTable(path(SERVERS_3000, "server5"), server);

        assertThat(LineDiff.of(original, editor.text())).containsExactly(
                "+24:    [backends.tcp3000_out.servers.server5]\n",
                "+25:    addr = \"192.168.1.200:80\"\n",
                "+26:    weight = 3\n");
        TomlParseResult result = editor.verify();
        assertThat(result.getString("backends.tcp3000_out.servers.server5.addr")).isEqualTo("192.168.1.200:80");
        assertThat(result.getLong("backends.tcp3000_out.servers.server5.weight")).isEqualTo(3L);
    }

    @ParameterizedTest
    @CsvSource({"sample-proxy.toml, tcp3000_out", "sample-passthrough.toml, tcp80_out", "sample.toml, tcp3001_out",
            "test.toml, tcp3001_out", "proxy_test.toml, tcp3000_out", "passthrough_test.toml, tcp3000_out",
            "bad.toml, tcp3000_out"})
    void addingThenRemovingAServerRestoresEveryOriginalFileByteForByte(String name, String pool) {
        String original = fixture("/original/" + name);
        List<String> server9 = List.of("backends", pool, "servers", "server9");
        LinkedHashMap<String, Object> server = new LinkedHashMap<>();
        server.put("addr", "127.0.0.1:9999");
        server.put("weight", 2);
        TomlEditor editor = new TomlEditor(original).addTable(server9, server);

        assertThat(LineDiff.of(original, editor.text())).hasSize(3).allMatch(line -> line.startsWith("+"));
        assertThat(editor.text()).contains("    [backends." + pool + ".servers.server9]\n"
                + "    addr = \"127.0.0.1:9999\"\n    weight = 2\n");
        assertThat(editor.verify().getLong(path(server9, "weight"))).isEqualTo(2L);

        editor.remove(server9);
        assertThat(editor.text()).isEqualTo(original);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample-proxy.toml", "sample-passthrough.toml", "test.toml"})
    void addingThenRemovingAFrontendKeepsTheBlankLineLayoutAndRestoresTheFile(String name) {
        String original = fixture("/original/" + name);
        LinkedHashMap<String, Object> frontend = new LinkedHashMap<>();
        frontend.put("listen_addr", "127.0.0.1:4000");
        frontend.put("backend", "tcp3000_out");
        TomlEditor editor = new TomlEditor(original).addTable(List.of("frontends", "tcp_4000"), frontend);

        String block = "[frontends.tcp_4000]\nlisten_addr = \"127.0.0.1:4000\"\nbackend = \"tcp3000_out\"\n";
        assertThat(editor.text()).isEqualTo(original.replaceFirst("\n\n\\[backends\\.", "\n\n" + block + "\n[backends."));
        assertThat(LineDiff.of(original, editor.text())).hasSize(4).allMatch(line -> line.startsWith("+"));
        assertThat(editor.verify().getString("frontends.tcp_4000.listen_addr")).isEqualTo("127.0.0.1:4000");

        editor.remove(List.of("frontends", "tcp_4000"));
        assertThat(editor.text()).isEqualTo(original);
    }

    @Test
    void removingAServerRemovesOnlyItsLines() {
        String original = fixture("/original/sample-proxy.toml");
        TomlEditor editor = new TomlEditor(original).remove(path(SERVERS_3000, "server2"));

        assertThat(LineDiff.of(original, editor.text())).containsExactly(
                "-15:    [backends.tcp3000_out.servers.server2]\n",
                "-16:    addr = \"192.168.1.118:80\"\n",
                "-17:    weight = 100\n");
        assertThat(editor.verify().getTable("backends.tcp3000_out.servers").keySet())
                .containsExactlyInAnyOrder("server1", "server3", "server4");
    }

    @Test
    void removingAKeyRemovesOnlyItsLine() {
        String original = fixture("/original/sample-proxy.toml");
        TomlEditor editor = new TomlEditor(original).remove(path(SERVERS_3000, "server1", "weight"));

        assertThat(LineDiff.of(original, editor.text())).containsExactly("-14:    weight = 10\n");
        assertThat(editor.verify().contains("backends.tcp3000_out.servers.server1.weight")).isFalse();
    }

    @Test
    void removingAPoolRemovesItsSubTablesAndOneOfTheBlankLinesAroundIt() {
        String original = fixture("/original/sample-proxy.toml");
        TomlEditor editor = new TomlEditor(original).remove(List.of("backends", "tcp3001_out"));

        String expected = original.substring(0, original.indexOf("\n[backends.tcp3001_out]"))
                + original.substring(original.indexOf("\n[stats]"));
        assertThat(editor.text()).isEqualTo(expected).contains("    weight = 1\n\n[stats]\n");
        assertThat(editor.verify().getTable("backends").keySet()).containsExactly("tcp3000_out");
    }

    @Test
    void settingAKeyOfAMissingTopLevelTableAppendsTheTableAfterTheLastOne() {
        String original = fixture("/original/sample-passthrough.toml");
        TomlEditor editor = new TomlEditor(original)
                .set(List.of("admin", "listen_addr"), "127.0.0.1:7001")
                .set(List.of("admin", "token_file"), "/etc/convey/token");

        assertThat(editor.text()).isEqualTo(original
                + "\n[admin]\nlisten_addr = \"127.0.0.1:7001\"\ntoken_file = \"/etc/convey/token\"\n");
        assertThat(editor.verify().getString("admin.token_file")).isEqualTo("/etc/convey/token");
    }

    @Test
    void settingAKeyOfAMissingServerCreatesTheServerAfterItsSiblings() {
        String original = fixture("/original/passthrough_test.toml");
        TomlEditor editor = new TomlEditor(original)
                .set(path(SERVERS_3000, "server3", "addr"), "127.0.0.1:3082");

        assertThat(LineDiff.of(original, editor.text())).containsExactly(
                "+12:    [backends.tcp3000_out.servers.server3]\n",
                "+13:    addr = \"127.0.0.1:3082\"\n");
    }

    @Test
    void addingAPoolCopiesTheLayoutOfTheLastPool() {
        String original = fixture("/original/proxy_test.toml");
        LinkedHashMap<String, Object> pool = new LinkedHashMap<>();
        pool.put("health_check_interval", 5);
        TomlEditor editor = new TomlEditor(original)
                .addTable(List.of("backends", "api"), pool)
                .addTable(List.of("backends", "api", "servers", "a1"), new LinkedHashMap<>(Map.of("addr", "127.0.0.1:9000")));

        assertThat(editor.text()).contains(
                "    weight = 1\n\n[backends.api]\n  health_check_interval = 5\n[backends.api.servers.a1]\n"
                        + "  addr = \"127.0.0.1:9000\"\n\n[stats]\n");
        assertThat(editor.verify().getString("backends.api.servers.a1.addr")).isEqualTo("127.0.0.1:9000");
    }

    @Test
    void badConfigIsStillValidTomlAndEditable() {
        String original = fixture("/original/bad.toml");
        TomlEditor editor = new TomlEditor(original).set(List.of("backends", "whoops", "health_check_interval"), 3);

        assertThat(LineDiff.of(original, editor.text()))
                .containsExactly("+7:  [backends.whoops]\n", "+8:  health_check_interval = 3\n");
        assertThat(editor.verify().getLong("backends.whoops.health_check_interval")).isEqualTo(3L);
    }

    @Test
    void invalidTomlIsRejectedWithTheParserProblems() {
        assertThatThrownBy(() -> new TomlEditor("[stats\nport = \"7000\"\n"))
                .isInstanceOfSatisfying(TomlEditException.class,
                        e -> assertThat(e.problems()).singleElement().asString().contains("line 1"));
    }

    @Test
    void removingSomethingMissingFailsAndLeavesTheTextAlone() {
        String original = fixture("/original/test.toml");
        TomlEditor editor = new TomlEditor(original);

        assertThatThrownBy(() -> editor.remove(path(SERVERS_3000, "server7"))).isInstanceOf(TomlEditException.class);
        assertThat(editor.text()).isEqualTo(original);
    }

    @Test
    void settingAScalarOverATableFails() {
        TomlEditor editor = new TomlEditor(fixture("/original/test.toml"));

        assertThatThrownBy(() -> editor.set(path(SERVERS_3000, "server1"), 1))
                .isInstanceOf(TomlEditException.class)
                .hasMessageStartingWith("backends.tcp3000_out.servers.server1: is a table");
    }
}
