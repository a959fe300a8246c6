package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import io.convey.testing.Tcp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/**
 * A pool of 200 servers, half of them DOWN with their error: every column shows its whole value (none cut to "…"),
 * with the peak, errors and retries, time in state and downtime a busy pool needs.
 */
class BusyPoolColumnsKeepTheirValuesTest extends ConsoleTestBase {
    private static final int SERVERS = 200;

    @Override
    String moreSections() {
        String closed;
        try {
            closed = "127.0.0.1:" + Tcp.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder toml = new StringBuilder("""

                [backends.busy]
                health_check_interval = 5
                rise = 1
                fall = 1
                """);
        for (int i = 1; i <= SERVERS; i++) {
            toml.append("""

                    [backends.busy.servers.backend-%03d]
                    addr = "%s"
                    weight = %d
                    """.formatted(i, i % 2 == 0 ? closed : "127.0.0.1:" + (10000 + i), i == 7 ? 65535 : i));
        }
        return toml.toString();
    }

    @Test
    void twoHundredServersShowEveryValueWhole(FxRobot robot) throws Exception {
        addAppliance(robot, "lab", appliance, "admin", appliance.adminPassword());
        fx(() -> {
            window.current().orElseThrow().select("Servers");
            return null;
        });
        choose(robot, "#poolChoice", "busy");
        eventually().until(() -> servers(robot).size() == SERVERS
                && servers(robot).stream().allMatch(s -> s.health() != null && s.health().checked()));
        eventually().until(() -> servers(robot).stream().anyMatch(s -> s.stats() != null && s.stats().downtimeS() >= 1));
        TableView<Api.Server> table = serverTable(robot);
        assertThat(fx(() -> table.getColumns().stream().map(c -> c.getText()).toList()))
                .contains("Peak", "Bytes tx / rx", "Errors / retries", "In state", "Downtime");
        Screenshots.save(robot.lookup("#main").query(), "servers-200");

        List<String> cut = new ArrayList<>();
        for (int first = 0; first < SERVERS; first += 10) {
            int row = first;
            fx(() -> {
                table.scrollTo(row);
                return null;
            });
            robot.sleep(1); // let the table lay out the rows it scrolled to (TestFX waits for the FX thread)
            cut.addAll(fx(() -> robot.lookup("#serverTable .table-cell").queryAll().stream()
                    .map(n -> (TableCell<?, ?>) n)
                    .filter(c -> c.getText() != null && !c.getText().isEmpty() && c.isVisible())
                    .filter(TableCell::isTextTruncated)
                    .map(c -> c.getTableColumn().getText() + ": " + c.getText()).toList()));
        }
        assertThat(cut).isEmpty();
    }
}
