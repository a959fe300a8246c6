package io.convey.config;

import static io.convey.config.TomlEditorTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tomlj.TomlParseResult;

/** Hand-written file shapes: comments, quoted keys, dotted keys, inline tables, line endings and value escaping. */
class TomlEditorSyntaxTest {

    private static final String COMMENTED = fixture("/config/commented.toml");
    private static final List<String> API_POOL = List.of("backends", "api pool");

    @Test
    void replacingAValueKeepsItsSpacingAndTrailingComment() {
        TomlEditor editor = new TomlEditor(COMMENTED)
                .set(List.of("backends", "web", "servers", "s1", "weight"), 9)
                .set(List.of("frontends", "web", "listen_addr"), "10.0.0.2:80");

        assertThat(LineDiff.of(COMMENTED, editor.text())).containsExactly(
                "-5:listen_addr = \"10.0.0.1:80\"   # public VIP\n",
                "+5:listen_addr = \"10.0.0.2:80\"   # public VIP\n",
                "-20:  weight = 5    # bigger box\n",
                "+20:  weight = 9    # bigger box\n");
        assertThat(editor.verify().getLong("backends.web.servers.s1.weight")).isEqualTo(9L);
    }

    @Test
    void addingAKeyLeavesCommentsBelowTheLastKeyInPlace() {
        TomlEditor editor = new TomlEditor(COMMENTED).set(List.of("backends", "web", "servers", "s2", "weight"), 2);

        assertThat(LineDiff.of(COMMENTED, editor.text())).containsExactly("+23:  weight = 2\n");
        assertThat(editor.text()).contains("  weight = 2\n  # no weight: defaults to 1\n");
    }

    @Test
    void removingATableTakesTheCommentDirectlyAboveItAndKeepsOthers() {
        TomlEditor editor = new TomlEditor(COMMENTED).remove(List.of("backends", "web", "servers", "s1"));

        assertThat(LineDiff.of(COMMENTED, editor.text())).containsExactly(
                "-17:  # rack 1\n",
                "-18:  [backends.web.servers.s1]\n",
                "-19:  addr = \"10.0.1.1:8080\"\n",
                "-20:  weight = 5    # bigger box\n");
        assertThat(editor.text()).contains("# Web pool: two racks.", "# no weight: defaults to 1");
    }

    @Test
    void quotedKeysAreMatchedUnquotedAndWrittenQuoted() {
        LinkedHashMap<String, Object> server = new LinkedHashMap<>();
        server.put("addr", "10.0.1.3:8080");
        TomlEditor editor = new TomlEditor(COMMENTED)
                .set(List.of("frontends", "api.v2", "backend"), "web")
                .set(List.of("backends", "api pool", "rise"), 2)
                .addTable(List.of("backends", "web", "servers", "rack 2/s3"), server);

        assertThat(LineDiff.of(COMMENTED, editor.text())).containsExactly(
                "-10:backend = \"api pool\"\n",
                "+10:backend = \"web\"\n",
                "+24:  [backends.web.servers.\"rack 2/s3\"]\n",
                "+25:  addr = \"10.0.1.3:8080\"\n",
                "+29:rise = 2\n");
        TomlParseResult result = editor.verify();
        assertThat(result.getString(List.of("frontends", "api.v2", "backend"))).isEqualTo("web");
        assertThat(result.getLong(List.of("backends", "api pool", "rise"))).isEqualTo(2L);
        assertThat(result.getString(List.of("backends", "web", "servers", "rack 2/s3", "addr"))).isEqualTo("10.0.1.3:8080");

        editor.remove(List.of("backends", "web", "servers", "rack 2/s3"));
        assertThat(editor.text()).doesNotContain("rack 2/s3");
    }

    @Test
    void dottedKeysAreReplacedAndExtendedAsDottedKeys() {
        LinkedHashMap<String, Object> server = new LinkedHashMap<>();
        server.put("addr", "10.0.2.3:9000");
        server.put("weight", 4);
        TomlEditor editor = new TomlEditor(COMMENTED)
                .set(TomlEditorTest.path(API_POOL, "servers", "a1", "weight"), 3)
                .set(TomlEditorTest.path(API_POOL, "servers", "a1", "state"), "drain")
                .addTable(TomlEditorTest.path(API_POOL, "servers", "a3"), server);

        assertThat(LineDiff.of(COMMENTED, editor.text())).containsExactly(
                "-28:servers.a1.weight = 2\n",
                "+28:servers.a1.weight = 3\n",
                "+29:servers.a1.state = \"drain\"\n",
                "+31:servers.a3.addr = \"10.0.2.3:9000\"\n",
                "+32:servers.a3.weight = 4\n");
        TomlParseResult result = editor.verify();
        assertThat(result.getString(List.of("backends", "api pool", "servers", "a1", "state"))).isEqualTo("drain");
        assertThat(result.getLong(List.of("backends", "api pool", "servers", "a3", "weight"))).isEqualTo(4L);

        editor.remove(TomlEditorTest.path(API_POOL, "servers", "a1")).remove(TomlEditorTest.path(API_POOL, "servers", "a3"));
        assertThat(LineDiff.of(COMMENTED, editor.text())).containsExactly(
                "-27:servers.a1.addr = \"10.0.2.1:9000\"\n",
                "-28:servers.a1.weight = 2\n");
    }

    @Test
    void aValueInsideAnInlineTableIsReplacedInPlace() {
        TomlEditor editor = new TomlEditor(COMMENTED).set(TomlEditorTest.path(API_POOL, "servers", "a2", "weight"), 40);

        assertThat(LineDiff.of(COMMENTED, editor.text())).containsExactly(
                "-29:servers.a2 = { addr = \"10.0.2.2:9000\", weight = 1 }   # inline\n",
                "+29:servers.a2 = { addr = \"10.0.2.2:9000\", weight = 40 }   # inline\n");
        assertThat(editor.verify().getLong(List.of("backends", "api pool", "servers", "a2", "weight"))).isEqualTo(40L);
    }

    @Test
    void addingToOrRemovingFromAnInlineTableIsRefusedWithoutTouchingTheText() {
        TomlEditor editor = new TomlEditor(COMMENTED);
        List<String> inline = TomlEditorTest.path(API_POOL, "servers", "a2");

        assertThatThrownBy(() -> editor.set(TomlEditorTest.path(inline, "state"), "drain"))
                .isInstanceOf(TomlEditException.class).hasMessageContaining("inline table");
        assertThatThrownBy(() -> editor.remove(TomlEditorTest.path(inline, "weight")))
                .isInstanceOf(TomlEditException.class).hasMessageContaining("inline value");
        assertThat(editor.text()).isEqualTo(COMMENTED);

        editor.remove(inline);
        assertThat(LineDiff.of(COMMENTED, editor.text())).singleElement().asString().startsWith("-29:servers.a2 = {");
    }

    @Test
    void valuesAreWrittenAsTomlLiteralsAndReadBack() {
        String tricky = "say \"hi\" \\ C:\\dir\nnext\ttab \u0001 é";
        TomlParseResult result = new TomlEditor("[t]\nx = 1\n")
                .set(List.of("t", "s"), tricky)
                .set(List.of("t", "b"), true)
                .set(List.of("t", "d"), 2.5)
                .set(List.of("t", "big"), 1e300)
                .set(List.of("t", "l"), 7_000_000_000L)
                .set(List.of("t", "x"), "now a string")
                .verify();

        assertThat(result.getString("t.s")).isEqualTo(tricky);
        assertThat(result.getBoolean("t.b")).isTrue();
        assertThat(result.getDouble("t.d")).isEqualTo(2.5);
        assertThat(result.getDouble("t.big")).isEqualTo(1e300);
        assertThat(result.getLong("t.l")).isEqualTo(7_000_000_000L);
        assertThat(result.getString("t.x")).isEqualTo("now a string");
    }

    @Test
    void replacingMultiLineAndDateValuesConsumesTheWholeToken() {
        String text = "[t]\nnote = \"\"\"\n[not.a.header]\nx = 1\n\"\"\" # why\nwhen = 1979-05-27 07:32:00Z # first\n"
                + "ports = [\n  80, # http\n  443,\n]\nafter = 1\n";
        TomlEditor editor = new TomlEditor(text)
                .set(List.of("t", "note"), "short")
                .set(List.of("t", "when"), "later")
                .set(List.of("t", "added"), 2);

        assertThat(editor.text()).isEqualTo("[t]\nnote = \"short\" # why\nwhen = \"later\" # first\n"
                + "ports = [\n  80, # http\n  443,\n]\nafter = 1\nadded = 2\n");
        assertThat(editor.verify().getArray("t.ports").size()).isEqualTo(2);
    }

    @Test
    void windowsLineEndingsArePreservedAndUsedForNewLines() {
        String text = "[stats]\r\nport = \"7000\"\r\n";
        TomlEditor editor = new TomlEditor(text).set(List.of("stats", "port"), "7001").set(List.of("admin", "token_file"), "t");

        assertThat(editor.text()).isEqualTo("[stats]\r\nport = \"7001\"\r\n\r\n[admin]\r\ntoken_file = \"t\"\r\n");
    }

    @Test
    void aTableKnownOnlyThroughItsSubTablesGetsAHeaderAboveThem() {
        String text = "[frontends.a]\nbackend = \"web\"\n\n  [backends.web.servers.s1]\n  addr = \"127.0.0.1:1\"\n";
        TomlEditor editor = new TomlEditor(text).set(List.of("backends", "web", "rise"), 2);

        assertThat(editor.text()).isEqualTo("[frontends.a]\nbackend = \"web\"\n\n  [backends.web]\n  rise = 2\n"
                + "  [backends.web.servers.s1]\n  addr = \"127.0.0.1:1\"\n");
    }

    @Test
    void rootKeysAndAFileWithoutFinalNewlineAreHandled() {
        TomlEditor editor = new TomlEditor("# top\n\n[stats]\nport = \"7000\"")
                .set(List.of("version"), 1)
                .set(List.of("stats", "refresh"), 5);

        assertThat(editor.text()).isEqualTo("# top\n\nversion = 1\n\n[stats]\nport = \"7000\"\nrefresh = 5\n");
    }

    @Test
    void editsThroughAValueOrAnArrayOfTablesAreRefused() {
        TomlEditor editor = new TomlEditor("[stats]\nport = \"7000\"\n[[pools]]\nname = \"a\"\n");

        assertThatThrownBy(() -> editor.set(List.of("stats", "port", "x"), 1))
                .isInstanceOf(TomlEditException.class).hasMessage("stats.port: is a value (expected: a table)");
        assertThatThrownBy(() -> editor.addTable(List.of("pools", "b"), new LinkedHashMap<>()))
                .isInstanceOf(TomlEditException.class).hasMessage("pools: is an array (expected: a table)");
    }
}
