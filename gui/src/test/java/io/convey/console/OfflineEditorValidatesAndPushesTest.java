package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import java.util.Map;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class OfflineEditorValidatesAndPushesTest extends ConsoleTestBase {

    @Test
    void anEditedFileIsValidatedByTheApplianceAndAStalePushIsRefused(FxRobot robot) throws Exception {
        ApplianceView view = openAppliance(robot, "Config file");
        robot.clickOn("#loadConfig");
        TextArea editor = robot.lookup("#configText").queryAs(TextArea.class);
        eventually().until(() -> fx(editor::getText).equals(appliance.initialText()));

        String bad = appliance.initialText().replace("addr = \"" + appliance.backendB().addr() + "\"\nweight = 1",
                "addr = \"" + appliance.backendB().addr() + "\"\nweight = 70000");
        assertThat(bad).isNotEqualTo(appliance.initialText());
        fx(() -> {
            editor.setText(bad);
            return null;
        });
        robot.clickOn("#validateConfig");
        @SuppressWarnings("unchecked")
        ListView<Api.Problem> problems = robot.lookup("#configProblems").queryAs(ListView.class);
        eventually().until(() -> fx(() -> problems.getItems().stream()
                .anyMatch(p -> p.message().contains("70000 (expected: 0-65535)") && p.line() != null && p.line() > 0)));
        Screenshots.save(robot.lookup("#main").query(), "editor-problems");
        assertThat(appliance.configVersion()).isEqualTo(1);

        // Someone else changes the appliance meanwhile: the push based on version 1 must be refused.
        appliance.client().updateServer("web_pool", "a", Map.of("weight", 2)).get();
        String good = bad.replace("weight = 70000", "weight = 5");
        fx(() -> {
            editor.setText(good);
            return null;
        });
        robot.clickOn("#pushConfig");
        Label message = robot.lookup("#editorMessage").queryAs(Label.class);
        eventually().until(() -> fx(message::getText).startsWith("conflict"));
        assertThat(appliance.configVersion()).isEqualTo(2);

        robot.clickOn("#rebaseConfig");
        robot.clickOn("#pushConfig");
        eventually().until(() -> appliance.configVersion() == 3);
        eventually().untilAsserted(() -> assertThat(appliance.configText()).isEqualTo(good)); // written after apply
        assertThat(fx(message::getText)).isEqualTo("pushed: now config version 3");
        fx(() -> {
            view.select("Servers");
            return null;
        });
        eventually().until(() -> server(robot, "b").orElseThrow().weight() == 5);
    }
}
