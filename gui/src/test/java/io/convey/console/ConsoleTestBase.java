package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.console.appliances.AppliancesViewModel;
import io.convey.console.client.Api;
import io.convey.console.testing.LiveAppliance;
import io.convey.console.testing.Screenshots;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import javafx.scene.Node;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console's window on a real appliance (daemon and two loopback backends, HTTPS and users as it sets them up by
 * default) started for each test; the console keeps its files in {@code <dir>/console}.
 */
@ExtendWith(ApplicationExtension.class)
abstract class ConsoleTestBase {
    @TempDir
    Path dir;
    LiveAppliance appliance;
    MainWindow window;

    @BeforeEach
    void startApplianceAndWindow() throws Exception {
        appliance = LiveAppliance.start(dir, moreSections());
        Stage stage = FxToolkit.registerPrimaryStage();
        window = fx(() -> {
            MainWindow main = new MainWindow(AppliancesViewModel.in(consoleDir()));
            main.show(stage);
            return main;
        });
    }

    /** Tables appended to the test appliance's config (none by default). */
    String moreSections() {
        return "";
    }

    Path consoleDir() {
        return dir.resolve("console");
    }

    @AfterEach
    void stopAll(TestInfo test) throws Exception {
        if (window != null) {
            // The window as the test left it: the first thing to look at when a test fails.
            Screenshots.save(window, "last-" + test.getTestClass().orElseThrow().getSimpleName());
            fx(() -> {
                window.close();
                return null;
            });
        }
        if (appliance != null) {
            appliance.close();
        }
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100));
    }

    /** Reads UI state on the FX thread. */
    static <T> T fx(Callable<T> read) {
        return WaitForAsyncUtils.waitForAsyncFx(10_000, read);
    }

    /**
     * Adds the test appliance as {@code lab} the way an operator does (address, user admin and its generated password,
     * then trusting the certificate whose fingerprint the console shows), and waits until its servers are listed.
     */
    ApplianceView openAppliance(FxRobot robot, String screen) throws Exception {
        addAppliance(robot, "lab", appliance, "admin", appliance.adminPassword());
        ApplianceView view = fx(() -> {
            ApplianceView opened = window.current().orElseThrow();
            opened.select(screen);
            return opened;
        });
        eventually().until(() -> servers(robot).size() == 2);
        return view;
    }

    /** Fills the add form, logs in, checks the fingerprint shown on first use and trusts it; returns once the tab is open. */
    void addAppliance(FxRobot robot, String name, LiveAppliance live, String user, String password) {
        robot.clickOn("#applianceName").write(name);
        robot.clickOn("#applianceAddress").write(live.adminAddress());
        robot.clickOn("#applianceUser").write(user);
        robot.clickOn("#appliancePassword").write(password);
        robot.clickOn("#addAppliance");
        eventually().until(() -> fx(() -> robot.lookup("#trustPrompt").query().isVisible()));
        assertThat(labelText(robot, "#trustFingerprint")).isEqualTo(live.fingerprint());
        robot.clickOn("#trustCertificate");
        eventually().until(() -> fx(() -> window.current().map(v -> v.session().appliance().name()).orElse(""))
                .equals(name));
    }

    @SuppressWarnings("unchecked")
    static TableView<Api.Server> serverTable(FxRobot robot) {
        return robot.lookup("#serverTable").queryAs(TableView.class);
    }

    static List<Api.Server> servers(FxRobot robot) {
        return fx(() -> List.copyOf(serverTable(robot).getItems()));
    }

    static Optional<Api.Server> server(FxRobot robot, String name) {
        return servers(robot).stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The visible cell of one column of one server's row. */
    static Node cell(FxRobot robot, String server, String columnText) {
        return fx(() -> robot.lookup("#serverTable .table-cell").queryAll().stream()
                .map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && columnText.equals(c.getTableColumn().getText()))
                .filter(c -> c.getTableRow() != null && c.getTableRow().getItem() instanceof Api.Server s
                        && s.name().equals(server))
                .findFirst().orElseThrow());
    }

    /** Types a weight into a server's row the way an operator does: double-click, type, Enter. */
    static void editWeight(FxRobot robot, String server, String typed) {
        // A periodic refresh may replace the rows between the two clicks; then the edit did not start: again.
        eventually().until(() -> {
            if (fx(() -> serverTable(robot).getEditingCell()) == null) {
                robot.doubleClickOn(cell(robot, server, "Weight"));
            }
            return fx(() -> serverTable(robot).getEditingCell()) != null;
        });
        robot.write(typed).type(javafx.scene.input.KeyCode.ENTER);
    }

    /** Clicks a server's row until the table has it selected (a refresh may land between press and release). */
    static void selectRow(FxRobot robot, String server) {
        eventually().until(() -> {
            if (!isSelected(robot, server)) {
                robot.clickOn(cell(robot, server, "Name"));
            }
            return isSelected(robot, server);
        });
    }

    private static boolean isSelected(FxRobot robot, String server) {
        return fx(() -> {
            Api.Server selected = serverTable(robot).getSelectionModel().getSelectedItem();
            return selected != null && selected.name().equals(server);
        });
    }

    /** Clicks the row whose first column reads {@code name} in the table {@code tableId} until it is selected. */
    static void selectRowIn(FxRobot robot, String tableId, String name) {
        TableView<?> table = robot.lookup(tableId).queryAs(TableView.class);
        eventually().until(() -> {
            if (!rowSelected(table, name)) {
                fx(() -> robot.lookup(tableId + " .table-cell").queryAll().stream().map(n -> (TableCell<?, ?>) n)
                        .filter(c -> c.getTableColumn() == table.getColumns().getFirst() && name.equals(c.getText()))
                        .findFirst()).ifPresent(robot::clickOn);
            }
            return rowSelected(table, name);
        });
    }

    private static boolean rowSelected(TableView<?> table, String name) {
        return fx(() -> {
            int index = table.getSelectionModel().getSelectedIndex();
            return index >= 0 && name.equals(table.getColumns().getFirst().getCellData(index));
        });
    }

    static String labelText(FxRobot robot, String id) {
        return fx(() -> robot.lookup(id).queryAs(javafx.scene.control.Label.class).getText());
    }

    /** Replaces a text field's content the way an operator does: select all, type. */
    static void retype(FxRobot robot, String id, String text) {
        robot.doubleClickOn(id);
        fx(() -> {
            robot.lookup(id).queryAs(javafx.scene.control.TextField.class).selectAll();
            return null;
        });
        robot.write(text);
    }

    /**
     * Chooses a combo box item. Selected through the box's selection model rather than by clicking its popup:
     * headless popups open asynchronously and clicks on them went astray under load; what the tests check is
     * what the console does with the chosen value.
     */
    static void choose(FxRobot robot, String id, String value) {
        javafx.scene.control.ComboBox<?> box = robot.lookup(id).queryAs(javafx.scene.control.ComboBox.class);
        eventually().until(() -> fx(() -> {
            for (int i = 0; i < box.getItems().size(); i++) {
                if (value.equals(String.valueOf(box.getItems().get(i)))) {
                    box.getSelectionModel().select(i);
                }
            }
            return value.equals(String.valueOf(box.getValue()));
        }));
    }

    /** The visible cell of a table whose first column reads {@code rowName}, in the column titled {@code columnText}. */
    static TableCell<?, ?> cellIn(FxRobot robot, String tableId, String rowName, String columnText) {
        TableView<?> table = robot.lookup(tableId).queryAs(TableView.class);
        return fx(() -> robot.lookup(tableId + " .table-cell").queryAll().stream().map(n -> (TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && columnText.equals(c.getTableColumn().getText()))
                .filter(c -> c.getIndex() >= 0 && c.getIndex() < table.getItems().size()
                        && rowName.equals(String.valueOf(table.getColumns().getFirst().getCellData(c.getIndex()))))
                .findFirst().orElseThrow());
    }

    /** Types into a table cell the way an operator does: double-click until it edits, type, Enter. */
    static void editCell(FxRobot robot, String tableId, String rowName, String columnText, String typed) {
        TableView<?> table = robot.lookup(tableId).queryAs(TableView.class);
        eventually().until(() -> {
            if (fx(table::getEditingCell) == null) {
                robot.doubleClickOn(cellIn(robot, tableId, rowName, columnText));
            }
            return fx(table::getEditingCell) != null;
        });
        robot.write(typed).type(javafx.scene.input.KeyCode.ENTER);
    }

    static String text(Node cell) {
        // A cell being refreshed has no text for a moment; treat it as empty so waits keep polling.
        return fx(() -> java.util.Objects.toString(((TableCell<?, ?>) cell).getText(), ""));
    }
}
