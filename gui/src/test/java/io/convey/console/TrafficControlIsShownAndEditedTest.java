package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javafx.scene.control.CheckBox;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/**
 * The console edits a pool's queue, slow start, passive health and half-close and the servers' max_connections, and
 * shows a client waiting in the queue, the peak, and a re-enabled server's slow start.
 */
class TrafficControlIsShownAndEditedTest extends ConsoleTestBase {

    @SuppressWarnings("unchecked")
    private static Api.Pool pool(FxRobot robot) {
        return fx(() -> List.copyOf((List<Api.Pool>) robot.lookup("#poolTable").queryAs(TableView.class).getItems()))
                .stream().filter(p -> p.name().equals("web_pool")).findFirst().orElseThrow();
    }

    private static void setMaxConnections(FxRobot robot, String server, String typed) {
        selectRow(robot, server);
        retype(robot, "#maxConnections", typed);
        robot.clickOn("#setMaxConnections");
    }

    private static boolean checked(FxRobot robot, String id) {
        return fx(() -> robot.lookup(id).queryAs(CheckBox.class).isSelected());
    }

    /** The lines of the config's {@code [backends.web_pool]} table, up to the next table. */
    private static String webPoolTable(String config) {
        String rest = config.substring(config.indexOf("[backends.web_pool]\n"));
        int next = rest.indexOf("\n[", 1);
        return next < 0 ? rest : rest.substring(0, next);
    }

    private Socket client() throws Exception {
        Socket socket = new Socket();
        socket.connect(appliance.frontend(), 5000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static String greeting(Socket socket) throws Exception {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    @Test
    void queueSlowStartAndLimitsAreEditedAndShown(FxRobot robot) throws Exception {
        ApplianceView view = openAppliance(robot, "Servers");
        eventually().until(() -> servers(robot).stream().allMatch(s -> s.health().up()));
        setMaxConnections(robot, "a", "1");
        eventually().until(() -> server(robot, "a").orElseThrow().maxConnections() == 1);
        setMaxConnections(robot, "b", "1");
        eventually().until(() -> server(robot, "b").orElseThrow().maxConnections() == 1);
        assertThat(appliance.configText()).contains("max_connections = 1");
        eventually().until(() -> text(cell(robot, "a", "Max conn")).equals("1"));

        fx(() -> {
            view.select("Pools");
            return null;
        });
        selectRowIn(robot, "#poolTable", "web_pool");
        eventually().until(() -> text(cellIn(robot, "#poolTable", "web_pool", "Traffic control"))
                .endsWith(", half-close"));
        assertThat(checked(robot, "#pool-half_close")).isTrue();
        retype(robot, "#pool-queue_size", "5");
        retype(robot, "#pool-slow_start_s", "30");
        robot.clickOn("#pool-observe");
        robot.clickOn("#pool-half_close");
        robot.clickOn("#applyPool");
        eventually().until(() -> pool(robot).queueSize() == 5 && pool(robot).slowStartS() == 30 && pool(robot).observe()
                && !pool(robot).halfCloses());
        assertThat(appliance.configText()).contains("queue_size = 5", "slow_start_s = 30", "observe = true");
        assertThat(webPoolTable(appliance.configText())).contains("half_close = false");
        // the API's own answer, read apart from the console's window: present and false, not absent
        assertThat(appliance.client().pools().get()).filteredOn(p -> p.name().equals("web_pool"))
                .singleElement().extracting(Api.Pool::halfClose).isEqualTo(false);
        eventually().until(() -> text(cellIn(robot, "#poolTable", "web_pool", "Traffic control"))
                .equals("slow start 30 s, observes live traffic, no persistence, first FIN closes both"));
        assertThat(checked(robot, "#pool-half_close")).isFalse();

        try (Socket one = client(); Socket two = client()) {
            assertThat(greeting(one)).isIn("a", "b");
            assertThat(greeting(two)).isIn("a", "b");
            try (Socket three = client()) {
                eventually().until(() -> text(cellIn(robot, "#poolTable", "web_pool", "Queue")).equals("1 waiting (peak 1)"));
                Screenshots.save(robot.lookup("#main").query(), "pool-queue");
                one.close();
                assertThat(greeting(three)).isIn("a", "b");
                eventually().until(() -> text(cellIn(robot, "#poolTable", "web_pool", "Queue")).equals("0 waiting (peak 1)"));
            }
        }

        // b disabled then enabled again ramps up over slow_start_s; its row says so
        appliance.client().updateServer("web_pool", "b", java.util.Map.of("state", "disabled")).get();
        appliance.client().updateServer("web_pool", "b", java.util.Map.of("state", "enabled")).get();
        fx(() -> {
            view.select("Servers");
            return null;
        });
        eventually().until(() -> text(cell(robot, "b", "Slots, ramp")).contains("slow start"));
        Screenshots.save(robot.lookup("#main").query(), "server-slow-start");
    }
}
