package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import io.convey.testing.Tcp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/** The frontends table shows what each frontend's allow/deny lists and rate limit refused. */
class FrontendRefusalsAreShownTest extends ConsoleTestBase {
    private final int guardedPort = Tcp.freeLoopbackPort();

    @Override
    String moreSections() {
        return """

                [frontends.guarded]
                listen_addr = "127.0.0.1:%d"
                backend = "web_pool"
                deny = ["127.0.0.1/32"]
                """.formatted(guardedPort);
    }

    @Test
    void aRefusedConnectionIsCountedOnItsFrontendsRow(FxRobot robot) throws Exception {
        ApplianceView view = openAppliance(robot, "Pools");
        fx(() -> {
            view.select("Frontends");
            return null;
        });
        eventually().until(() -> frontends(robot).stream().anyMatch(f -> f.name().equals("guarded")));
        for (int i = 0; i < 3; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", guardedPort), 2000);
                s.setSoTimeout(5000);
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            } catch (IOException e) {
                // reset at accept: refused either way
            }
        }
        eventually().until(() -> frontends(robot).stream()
                .anyMatch(f -> f.name().equals("guarded") && f.refusals().refusedByAcl() == 3));
        assertThat(frontends(robot).stream().filter(f -> f.name().equals("web")).findFirst().orElseThrow()
                .refusals().refusedByAcl()).isZero();
        assertThat(frontendCell(robot, "guarded", "Refused (lists)")).isEqualTo("3");
        assertThat(frontendCell(robot, "guarded", "Rate-limited")).isEqualTo("0");
        Screenshots.save(robot.lookup("#main").query(), "frontend-refusals");

        // The operator lifts the deny list from the console: the file is written, the frontend serves again.
        selectRowIn(robot, "#frontendTable", "guarded");
        eventually().until(() -> fx(() -> robot.lookup("#trafficDeny").queryAs(javafx.scene.control.TextField.class)
                .getText()).equals("127.0.0.1/32"));
        retype(robot, "#trafficDeny", "127.0.0.2/32");
        retype(robot, "#trafficRateLimit", "500");
        robot.clickOn("#applyTraffic");
        eventually().until(() -> appliance.configText().contains("deny = [\"127.0.0.2/32\"]")
                && appliance.configText().contains("rate_limit = 500"));
        eventually().until(() -> Tcp.greeting(new InetSocketAddress("127.0.0.1", guardedPort)) != null);

        retype(robot, "#trafficAllow", "10.1.2.3/8");
        robot.clickOn("#applyTraffic");
        eventually().until(() -> labelText(robot, "#trafficAllowProblem").contains("expected: the network address"));
    }

    @SuppressWarnings("unchecked")
    private static List<Api.Frontend> frontends(FxRobot robot) {
        return fx(() -> List.copyOf(robot.lookup("#frontendTable").queryAs(TableView.class).getItems()));
    }

    private static String frontendCell(FxRobot robot, String frontend, String column) {
        return fx(() -> robot.lookup("#frontendTable .table-cell").queryAll().stream()
                .map(n -> (javafx.scene.control.TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && column.equals(c.getTableColumn().getText()))
                .filter(c -> c.getTableRow() != null && c.getTableRow().getItem() instanceof Api.Frontend f
                        && f.name().equals(frontend))
                .map(c -> c.getText() == null ? "" : c.getText()).findFirst().orElse(""));
    }
}
