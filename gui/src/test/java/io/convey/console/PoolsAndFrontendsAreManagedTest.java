package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.util.List;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class PoolsAndFrontendsAreManagedTest extends ConsoleTestBase {

    @Test
    void aPoolIsAddedChangedUsedByAFrontendRefusedWhileUsedAndRemoved(FxRobot robot) throws Exception {
        ApplianceView view = openAppliance(robot, "Pools");
        eventually().until(() -> pools(robot).stream().anyMatch(p -> p.name().equals("web_pool")));
        try (NamedServer c = new NamedServer("c")) {
            // A typo is caught before anything is sent; an address the appliance refuses is shown next to its field.
            robot.clickOn("#newPoolName").write("api_pool");
            choose(robot, "#newPoolAlgorithm", "least_connections");
            robot.clickOn("#newPool-health_check_interval_ms").write("often");
            robot.clickOn("#newPoolServer").write("c");
            robot.clickOn("#newPoolAddr").write("nowhere");
            robot.clickOn("#addPool");
            eventually().until(() -> labelText(robot, "#newPool-health_check_interval_msProblem")
                    .equals("often (expected: an integer)"));
            assertThat(appliance.configVersion()).isEqualTo(1);

            retype(robot, "#newPool-health_check_interval_ms", "300");
            robot.clickOn("#addPool");
            eventually().until(() -> labelText(robot, "#newPoolAddrProblem").contains("nowhere"));
            assertThat(labelText(robot, "#newPool-health_check_interval_msProblem")).isEmpty();
            Screenshots.save(robot.lookup("#main").query(), "pool-add-problem");
            assertThat(appliance.configVersion()).isEqualTo(1);

            retype(robot, "#newPoolAddr", c.addr());
            robot.clickOn("#newPoolWeight").write("2");
            robot.clickOn("#addPool");
            eventually().until(() -> pools(robot).stream().anyMatch(p -> p.name().equals("api_pool")));
            assertThat(appliance.configText()).contains("[backends.api_pool]", "algorithm = \"least_connections\"",
                    "[backends.api_pool.servers.c]", c.addr());

            // Change its algorithm and health settings.
            selectRowIn(robot, "#poolTable", "api_pool");
            choose(robot, "#poolAlgorithm", "maglev");
            retype(robot, "#pool-fall", "3");
            robot.clickOn("#applyPool");
            eventually().until(() -> pool(robot, "api_pool").algorithm().equals("maglev")
                    && pool(robot, "api_pool").fall() == 3);
            assertThat(appliance.configText()).contains("algorithm = \"maglev\"");

            // A frontend for it; a bad address is shown next to the field.
            fx(() -> {
                view.select("Frontends");
                return null;
            });
            robot.clickOn("#newFrontendName").write("api");
            robot.clickOn("#newFrontendListen").write("somewhere");
            choose(robot, "#newFrontendPool", "api_pool");
            robot.clickOn("#addFrontend");
            eventually().until(() -> labelText(robot, "#newFrontendListenProblem").contains("somewhere"));
            // A listener's port is the operator's choice (port 0 is refused): a free one, found first.
            String listen = "127.0.0.1:" + Tcp.freePort();
            retype(robot, "#newFrontendListen", listen);
            robot.clickOn("#addFrontend");
            eventually().until(() -> frontends(robot).stream().anyMatch(f -> f.name().equals("api")
                    && listen.equals(f.boundAddr())));
            assertThat(appliance.configText()).contains("[frontends.api]");

            // The pool is in use: the appliance refuses to remove it, and says why next to the pool.
            fx(() -> {
                view.select("Pools");
                return null;
            });
            selectRowIn(robot, "#poolTable", "api_pool");
            robot.clickOn("#removePool");
            eventually().until(() -> labelText(robot, "#poolSettingsProblem").contains("used by frontend api"));
            eventually().until(() -> poolProblemCell(robot, "api_pool").contains("used by frontend api"));
            Screenshots.save(robot.lookup("#main").query(), "pool-in-use");
            assertThat(appliance.configText()).contains("[backends.api_pool]");

            // Move the frontend to the other pool; then the pool can go, and so can the frontend.
            fx(() -> {
                view.select("Frontends");
                return null;
            });
            selectRowIn(robot, "#frontendTable", "api");
            choose(robot, "#frontendPool", "web_pool");
            robot.clickOn("#applyFrontend");
            eventually().until(() -> frontends(robot).stream().anyMatch(f -> f.name().equals("api")
                    && f.backend().equals("web_pool")));
            Screenshots.save(robot.lookup("#main").query(), "frontends-managed");

            fx(() -> {
                view.select("Pools");
                return null;
            });
            selectRowIn(robot, "#poolTable", "api_pool");
            robot.clickOn("#removePool");
            eventually().until(() -> pools(robot).stream().noneMatch(p -> p.name().equals("api_pool")));
            assertThat(appliance.configText()).doesNotContain("api_pool");
            Screenshots.save(robot.lookup("#main").query(), "pools");

            fx(() -> {
                view.select("Frontends");
                return null;
            });
            selectRowIn(robot, "#frontendTable", "api");
            robot.clickOn("#removeFrontend");
            eventually().until(() -> frontends(robot).stream().noneMatch(f -> f.name().equals("api")));
            assertThat(appliance.configText()).doesNotContain("[frontends.api]");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Api.Pool> pools(FxRobot robot) {
        return fx(() -> List.copyOf(robot.lookup("#poolTable").queryAs(TableView.class).getItems()));
    }

    private static Api.Pool pool(FxRobot robot, String name) {
        return pools(robot).stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<Api.Frontend> frontends(FxRobot robot) {
        return fx(() -> List.copyOf(robot.lookup("#frontendTable").queryAs(TableView.class).getItems()));
    }

    private static String poolProblemCell(FxRobot robot, String pool) {
        return fx(() -> robot.lookup("#poolTable .table-cell").queryAll().stream()
                .map(n -> (javafx.scene.control.TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && "Problem".equals(c.getTableColumn().getText()))
                .filter(c -> c.getTableRow() != null && c.getTableRow().getItem() instanceof Api.Pool p
                        && p.name().equals(pool))
                .map(c -> c.getText() == null ? "" : c.getText()).findFirst().orElse(""));
    }
}
