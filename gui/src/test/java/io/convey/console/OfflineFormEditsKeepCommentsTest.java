package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.editor.ConfigEditorViewModel;
import io.convey.console.testing.Screenshots;
import io.convey.testing.NamedServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListView;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class OfflineFormEditsKeepCommentsTest extends ConsoleTestBase {

    @Test
    void aFileFromDiskIsEditedInTheFormValidatedSavedAndPushedWithItsComments(FxRobot robot) throws Exception {
        String a = appliance.backendA().addr();
        String b = appliance.backendB().addr();
        String original = appliance.initialText().replace("addr = \"" + a + "\"\nweight = 1",
                "addr = \"" + a + "\"\nweight = 1   # a takes the most");
        assertThat(original).contains("# a takes the most");
        Path file = dir.resolve("offline.toml");
        Files.writeString(file, original, StandardCharsets.UTF_8);

        ApplianceView view = openAppliance(robot, "Config file");
        ConfigEditorViewModel editor = view.configEditor();
        fx(() -> {
            editor.open(file);
            return null;
        });
        TextArea text = robot.lookup("#configText").queryAs(TextArea.class);
        eventually().until(() -> fx(text::getText).equals(original));
        robot.clickOn("#editorFormTab");
        eventually().until(() -> fx(() -> robot.lookup("#formServers").queryAs(TableView.class).getItems().size()) == 2);

        // A weight out of range: written to the text, then refused by the appliance's validation on its row.
        editCell(robot, "#formServers", "b", "Weight", "70000");
        eventually().until(() -> cellText(robot, "b", "Problem").equals("weight: 70000 (expected: 0-65535)"));
        assertThat(cellText(robot, "a", "Problem")).isEmpty();
        Screenshots.save(robot.lookup("#main").query(), "offline-form-problem");
        editCell(robot, "#formServers", "b", "Weight", "1");
        eventually().until(() -> cellText(robot, "b", "Problem").isEmpty() && problems(robot) == 0);

        try (NamedServer c = new NamedServer("c"); NamedServer d = new NamedServer("d")) {
            editCell(robot, "#formServers", "a", "Address", c.addr());
            editCell(robot, "#formServers", "a", "Weight", "3");
            chooseState(robot, "b", "disabled");
            robot.clickOn("#formNewServerName").write("d");
            robot.clickOn("#formNewServerAddr").write(d.addr());
            robot.clickOn("#formAddServer");
            robot.clickOn("#formNewServerName").write("e");
            robot.clickOn("#formNewServerAddr").write("127.0.0.1:1");
            robot.clickOn("#formAddServer");
            eventually().until(() -> fx(() -> robot.lookup("#formServers").queryAs(TableView.class).getItems().size()) == 4);
            selectRowIn(robot, "#formServers", "e");
            robot.clickOn("#formRemoveServer");

            String expected = original
                    .replace("addr = \"" + a + "\"\nweight = 1   # a takes the most",
                            "addr = \"" + c.addr() + "\"\nweight = 3   # a takes the most")
                    .replace("addr = \"" + b + "\"\nweight = 1\n", "addr = \"" + b + "\"\nweight = 1\nstate = \"disabled\"\n"
                            + "\n[backends.web_pool.servers.d]\naddr = \"" + d.addr() + "\"\nweight = 1\n");
            eventually().until(() -> fx(text::getText).equals(expected));
            eventually().until(() -> problems(robot) == 0
                    && fx(() -> robot.lookup("#editorMessage").queryAs(javafx.scene.control.Label.class).getText())
                            .equals("valid"));
            Screenshots.save(robot.lookup("#main").query(), "offline-form");

            fx(() -> {
                editor.save(file);
                return null;
            });
            eventually().until(() -> Files.readString(file, StandardCharsets.UTF_8).equals(expected));
            robot.clickOn("#pushConfig");
            eventually().until(() -> appliance.configVersion() == 2);
            assertThat(appliance.configText()).isEqualTo(expected);
            eventually().until(() -> fx(() -> view.session().pools().getFirst().servers().stream()
                    .filter(s -> !s.name().equals("b")).allMatch(s -> s.health() != null && s.health().up())));
            assertThat(appliance.split(8)).isEqualTo(Map.of("c", 6, "d", 2));
        }
    }

    private static String cellText(FxRobot robot, String server, String column) {
        TableCell<?, ?> cell = cellIn(robot, "#formServers", server, column);
        return fx(() -> cell.getText() == null ? "" : cell.getText());
    }

    @SuppressWarnings("unchecked")
    private static int problems(FxRobot robot) {
        return fx(() -> robot.lookup("#configProblems").queryAs(ListView.class).getItems().size());
    }

    private static void chooseState(FxRobot robot, String server, String state) {
        TableView<?> table = robot.lookup("#formServers").queryAs(TableView.class);
        eventually().until(() -> {
            if (fx(table::getEditingCell) == null) {
                robot.doubleClickOn(cellIn(robot, "#formServers", server, "State"));
            }
            return fx(table::getEditingCell) != null;
        });
        Node combo = fx(() -> cellIn(robot, "#formServers", server, "State").getGraphic());
        assertThat(combo).isInstanceOf(ComboBox.class);
        robot.clickOn(combo);
        robot.clickOn(robot.lookup(".list-cell").match(n -> n instanceof javafx.scene.control.ListCell<?> cell
                && state.equals(cell.getText()) && cell.getScene() != null && cell.getScene().getWindow().isShowing())
                .<Node>query());
        eventually().until(() -> cellText(robot, server, "State").equals(state));
    }
}
