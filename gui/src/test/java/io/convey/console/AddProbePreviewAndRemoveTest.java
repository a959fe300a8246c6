package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import io.convey.testing.NamedServer;
import java.util.Map;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class AddProbePreviewAndRemoveTest extends ConsoleTestBase {

    @Test
    void aProbedServerIsAddedPreviewedFilteredAndRemoved(FxRobot robot) throws Exception {
        openAppliance(robot, "Servers");
        eventually().until(() -> servers(robot).stream().allMatch(s -> s.health().up()));
        try (NamedServer c = new NamedServer("c")) {
            robot.clickOn("#newServerName").write("c");
            robot.clickOn("#newServerAddr").write(c.addr());
            robot.clickOn("#newServerWeight").write("2");
            robot.clickOn("#probeServer");
            Label probe = robot.lookup("#probeResult").queryAs(Label.class);
            eventually().until(() -> fx(probe::getText).startsWith(c.addr() + " reachable in"));
            robot.clickOn("#addServer");

            eventually().until(() -> server(robot, "c").map(s -> s.health().up()).orElse(false));
            assertThat(appliance.configText()).contains("[backends.web_pool.servers.c]").contains(c.addr());
            assertThat(appliance.split(8)).isEqualTo(Map.of("a", 2, "b", 2, "c", 4));

            selectRow(robot, "c");
            robot.clickOn("#whatIfWeight").write("0");
            robot.clickOn("#whatIfPreview");
            Label preview = robot.lookup("#whatIfResult").queryAs(Label.class);
            eventually().until(() -> fx(preview::getText).contains("c: 50.0 % → 0.0 %"));
            assertThat(fx(preview::getText)).contains("a: 25.0 % → 50.0 %");
            assertThat(server(robot, "c").orElseThrow().weight()).isEqualTo(2);
            Screenshots.save(robot.lookup("#main").query(), "add-and-preview");

            robot.press(KeyCode.CONTROL).press(KeyCode.F).release(KeyCode.F).release(KeyCode.CONTROL);
            eventually().until(() -> fx(() -> robot.lookup("#serverFilter").queryAs(TextField.class).isFocused()));
            robot.write("c");
            eventually().until(() -> servers(robot).stream().map(Api.Server::name).toList().equals(java.util.List.of("c")));

            selectRow(robot, "c");
            robot.clickOn("#removeServer");
            eventually().until(() -> servers(robot).isEmpty());
            assertThat(appliance.configText()).isEqualTo(appliance.initialText());
            robot.doubleClickOn("#serverFilter").eraseText(1);
            eventually().until(() -> servers(robot).size() == 2);
        }
    }
}
