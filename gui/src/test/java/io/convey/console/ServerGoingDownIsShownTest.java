package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.testing.Screenshots;
import javafx.scene.control.ListView;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class ServerGoingDownIsShownTest extends ConsoleTestBase {

    @Test
    void aStoppedBackendTurnsRedInTheTableAndRaisesANotification(FxRobot robot) throws Exception {
        openAppliance(robot, "Servers");
        eventually().until(() -> servers(robot).stream().allMatch(s -> s.health().up()));
        eventually().untilAsserted(() -> assertThat(text(cell(robot, "b", "Health"))).isEqualTo("UP"));

        appliance.backendB().close();

        eventually().until(() -> "DOWN".equals(text(cell(robot, "b", "Health"))));
        eventually().untilAsserted(() -> assertThat(text(cell(robot, "a", "Health"))).isEqualTo("UP"));
        eventually().untilAsserted(() ->
                assertThat(fx(() -> cell(robot, "b", "Health").getParent().getStyleClass())).contains("server-down"));
        eventually().untilAsserted(() -> assertThat(text(cell(robot, "b", "Last error"))).isNotBlank());
        eventually().until(() -> fx(() -> window.banner().messages()).stream()
                .anyMatch(m -> m.contains("web_pool/b") && m.contains("DOWN")));

        selectRow(robot, "b");
        @SuppressWarnings("unchecked")
        ListView<String> transitions = robot.lookup("#healthTransitions").queryAs(ListView.class);
        eventually().until(() -> fx(() -> transitions.getItems().stream().anyMatch(t -> t.contains("DOWN"))));
        Screenshots.save(robot.lookup("#main").query(), "server-down");
    }
}
