package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class RollbackFromHistoryTest extends ConsoleTestBase {

    @Test
    void rollingBackToTheStartupVersionRestoresTheFileAndTheWeights(FxRobot robot) throws Exception {
        ApplianceView view = openAppliance(robot, "Servers");
        eventually().until(() -> servers(robot).stream().allMatch(s -> s.health().up()));
        editWeight(robot, "a", "4");
        eventually().until(() -> server(robot, "a").orElseThrow().weight() == 4);

        fx(() -> {
            view.select("History");
            return null;
        });
        @SuppressWarnings("unchecked")
        TableView<Api.HistoryEntry> history = robot.lookup("#historyTable").queryAs(TableView.class);
        eventually().until(() -> fx(() -> history.getItems().size()) == 2);
        Api.HistoryEntry startup = fx(() -> history.getItems().getLast());
        assertThat(startup.configVersion()).isEqualTo(1);
        assertThat(startup.source()).isEqualTo("startup");
        // Who made each change: the weight edit was the console's token of admin.
        assertThat(fx(() -> history.getItems().getFirst().by())).contains("admin");
        eventually().ignoreExceptions().until(() -> text(cellIn(robot, "#historyTable", "2", "By")).contains("admin"));

        // Selected through the table's model: a click on a headless row can go astray under load.
        TextArea diff = robot.lookup("#historyDiff").queryAs(TextArea.class);
        eventually().until(() -> {
            fx(() -> {
                if (history.getSelectionModel().getSelectedIndex() != history.getItems().size() - 1) {
                    history.getSelectionModel().select(history.getItems().size() - 1);
                }
                return null;
            });
            return fx(diff::getText).contains("weight = 4");
        });
        Screenshots.save(robot.lookup("#main").query(), "history");
        robot.clickOn("#rollback");

        eventually().until(() -> appliance.configVersion() == 3);
        // The appliance applies first and then writes the file back: wait for the write.
        eventually().untilAsserted(() -> assertThat(appliance.configText()).isEqualTo(appliance.initialText()));
        eventually().until(() -> fx(() -> history.getItems().size()) == 3);
        assertThat(fx(() -> history.getItems().getFirst().source())).isEqualTo("rollback");
        eventually().until(() -> server(robot, "a").orElseThrow().weight() == 1);
    }
}
