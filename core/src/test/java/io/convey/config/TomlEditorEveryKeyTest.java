package io.convey.config;

import static io.convey.config.TomlEditorTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/** Every key and table of every fixture: a value change touches one line, a removal leaves valid TOML. */
class TomlEditorEveryKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {"/original/sample-proxy.toml", "/original/sample-passthrough.toml", "/original/sample.toml",
            "/original/test.toml", "/original/proxy_test.toml", "/original/passthrough_test.toml",
            "/original/bad.toml", "/config/commented.toml"})
    void everyValueChangesWithAOneLineDiffAndEveryKeyAndTableCanBeRemoved(String name) {
        String original = fixture(name);
        Map<List<String>, Object> leaves = TomlLeaves.of(Toml.parse(original));
        for (List<String> leaf : leaves.keySet()) {
            if (leaves.get(leaf) == TomlLeaves.Marker.EMPTY_TABLE) {
                continue;
            }
            TomlEditor editor = new TomlEditor(original).set(leaf, "changed");

            assertThat(LineDiff.of(original, editor.text())).as(leaf.toString()).hasSize(2);
            assertThat(editor.verify().getString(leaf)).isEqualTo("changed");
        }
        TomlParseResult parsed = Toml.parse(original);
        for (String dotted : parsed.dottedKeySet(true)) {
            List<String> path = Toml.parseDottedKey(dotted);
            if (path.size() > 4 && path.get(2).equals("servers") && path.get(3).equals("a2")) {
                continue; // inside an inline table: refused on purpose, covered by TomlEditorSyntaxTest
            }
            TomlEditor editor = new TomlEditor(original).remove(path);

            assertThat(editor.verify().get(path)).as(dotted).isNull();
            assertThat(editor.text()).as(dotted).doesNotContain("\n\n\n");
        }
    }
}
