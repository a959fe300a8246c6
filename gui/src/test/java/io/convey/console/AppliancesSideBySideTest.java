package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.client.Api;
import io.convey.console.testing.LiveAppliance;
import io.convey.console.testing.Screenshots;
import java.nio.file.Files;
import java.util.List;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class AppliancesSideBySideTest extends ConsoleTestBase {

    @Test
    void twoAppliancesOpenInTheirOwnWindowsAndAClosedWindowStopsItsStream(FxRobot robot) throws Exception {
        try (LiveAppliance second = LiveAppliance.start(Files.createDirectories(dir.resolve("second")))) {
            addAppliance(robot, "lab", appliance, "admin", appliance.adminPassword());
            addAppliance(robot, "backup", second, "admin", second.adminPassword());

            ApplianceWindow lab = openInWindow(robot, "lab");
            ApplianceWindow backup = openInWindow(robot, "backup");
            assertThat(fx(() -> List.copyOf(window.windows()))).containsExactly(lab, backup);

            // Each window shows its own appliance: the servers' addresses are those of its backends.
            eventually().until(() -> addresses(robot, lab).equals(
                    sorted(appliance.backendA().addr(), appliance.backendB().addr())));
            eventually().until(() -> addresses(robot, backup).equals(
                    sorted(second.backendA().addr(), second.backendB().addr())));
            ApplianceSession labSession = lab.view().session();
            eventually().until(() -> fx(() -> labSession.connected().get() && backup.view().session().connected().get()));
            Screenshots.save(lab.stage().getScene().getRoot(), "window-lab");
            Screenshots.save(backup.stage().getScene().getRoot(), "window-backup");

            // Minimised: the stream pauses; shown again: it resumes.
            fx(() -> {
                lab.stage().setIconified(true);
                return null;
            });
            eventually().until(() -> !fx(() -> labSession.streaming().get()) && !fx(() -> labSession.connected().get()));
            fx(() -> {
                lab.stage().setIconified(false);
                return null;
            });
            eventually().until(() -> fx(() -> labSession.streaming().get() && labSession.connected().get()));

            // Closed: its stream stops for good, the other window and the main window's tabs stream on.
            fx(() -> {
                lab.close();
                return null;
            });
            eventually().until(() -> fx(() -> !labSession.streaming().get() && !labSession.connected().get()));
            assertThat(fx(() -> List.copyOf(window.windows()))).containsExactly(backup);
            assertThat(fx(() -> backup.view().session().streaming().get())).isTrue();
            assertThat(fx(() -> window.current().orElseThrow().session().streaming().get())).isTrue();

            // Closing the main window closes the appliance windows with it.
            fx(() -> {
                window.close();
                return null;
            });
            eventually().until(() -> fx(() -> !backup.stage().isShowing() && !backup.view().session().streaming().get()));
        }
    }

    private ApplianceWindow openInWindow(FxRobot robot, String name) {
        @SuppressWarnings("unchecked")
        ListView<Object> list = robot.lookup("#applianceList").queryAs(ListView.class);
        int before = fx(() -> window.windows().size());
        eventually().until(() -> {
            fx(() -> {
                list.getItems().stream().filter(e -> e.toString().contains(name) || entryName(e).equals(name)).findFirst()
                        .ifPresent(e -> list.getSelectionModel().select(e));
                return null;
            });
            return fx(() -> list.getSelectionModel().getSelectedItem() != null
                    && entryName(list.getSelectionModel().getSelectedItem()).equals(name));
        });
        // Appliance windows open over the main window: bring it forward, as an operator would, to click in it.
        fx(() -> {
            window.getScene().getWindow().requestFocus();
            ((javafx.stage.Stage) window.getScene().getWindow()).toFront();
            return null;
        });
        robot.clickOn("#openApplianceWindow");
        eventually().until(() -> fx(() -> window.windows().size()) == before + 1);
        return fx(() -> window.windows().getLast());
    }

    private static List<String> sorted(String... addresses) {
        return java.util.Arrays.stream(addresses).sorted().toList();
    }

    private static String entryName(Object entry) {
        return ((io.convey.console.appliances.AppliancesViewModel.Entry) entry).appliance().name();
    }

    @SuppressWarnings("unchecked")
    private static List<String> addresses(FxRobot robot, ApplianceWindow in) {
        return fx(() -> robot.from(in.stage().getScene().getRoot()).lookup("#serverTable").queryAs(TableView.class)
                .getItems().stream().map(s -> ((Api.Server) s).addr()).sorted().toList());
    }
}
