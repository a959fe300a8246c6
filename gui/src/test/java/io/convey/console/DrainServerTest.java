package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class DrainServerTest extends ConsoleTestBase {

    @Test
    void drainingAServerSendsNewConnectionsElsewhereAndIsWrittenToTheFile(FxRobot robot) throws Exception {
        openAppliance(robot, "Servers");
        eventually().until(() -> servers(robot).stream().allMatch(s -> s.health().up()));

        selectRow(robot, "b");
        robot.clickOn("#drainServer");

        eventually().until(() -> "drain".equals(server(robot, "b").orElseThrow().state()));
        eventually().untilAsserted(() -> assertThat(text(cell(robot, "b", "State"))).isEqualTo("drain"));
        assertThat(appliance.configText()).contains("[backends.web_pool.servers.b]").containsOnlyOnce("state = \"drain\"");
        assertThat(appliance.configText().substring(appliance.configText().indexOf("[backends.web_pool.servers.b]")))
                .contains("state = \"drain\"");
        assertThat(appliance.split(10)).isEqualTo(Map.of("a", 10));
    }
}
