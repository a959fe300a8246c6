package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.appliance.TrafficHistory;
import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelReader;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/**
 * What the overview's charts promise: a server that went down before the console opened is drawn as a red marker, as
 * the legend says; the list of changes is newest first, as its caption says; and a hand edit of the file is listed in
 * the history by what it changed.
 */
class ChartMarkersAndChangeListTest extends ConsoleTestBase {
    private static final String SUMMARY = "b weight 1 → 4; pool web_pool health_check_interval 200 ms → 300 ms, "
            + "health_check_timeout 500 ms → 700 ms";

    @Test
    void aServerDownBeforeOpeningIsARedMarkerAndTheListIsNewestFirst(FxRobot robot) throws Exception {
        appliance.client().updateServer("web_pool", "a", Map.of("weight", 2)).get();
        appliance.backendB().close();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> appliance.client().pools().get()
                .getFirst().servers().stream().anyMatch(s -> s.name().equals("b") && !s.health().up()));
        openAppliance(robot, "Overview");
        appliance.client().updateServer("web_pool", "a", Map.of("weight", 3)).get();

        @SuppressWarnings("unchecked")
        ListView<TrafficHistory.Marker> changes = robot.lookup("#chartMarkers").queryAs(ListView.class);
        eventually().until(() -> details(changes).stream().anyMatch(d -> d.startsWith("web_pool/b down"))
                && details(changes).stream().anyMatch(d -> d.startsWith("v3 ")));
        List<TrafficHistory.Marker> listed = fx(() -> List.copyOf(changes.getItems()));
        assertThat(listed).isSortedAccordingTo(Comparator.comparing(TrafficHistory.Marker::at).reversed());
        assertThat(listed.getFirst().detail()).startsWith("v3 ");
        // bytes in the words and order of docs/api.md: tx (client → server), then rx (server → client)
        assertThat(labelText(robot, "#totals")).matches(".*bytes tx .* \\(client → server\\), rx .* \\(server → client\\)");

        // the dashed line of b's DOWN marker is drawn in the legend's red
        eventually().until(() -> redPixels(fx(() -> robot.lookup("#trafficChart").queryAs(ImageView.class).getImage())) > 20);
        Screenshots.save(robot.lookup("#main").query(), "overview-down-marker");
    }

    @Test
    void aHandEditIsListedInTheHistoryByWhatItChanged(FxRobot robot) throws Exception {
        ApplianceView view = openAppliance(robot, "History");
        String edited = appliance.configText().replace("addr = \"" + appliance.backendB().addr() + "\"\nweight = 1",
                "addr = \"" + appliance.backendB().addr() + "\"\nweight = 4").replace("health_check_interval_ms = 200",
                "health_check_interval_ms = 300").replace("health_check_timeout_ms = 500", "health_check_timeout_ms = 700");
        java.nio.file.Files.writeString(appliance.config(), edited);
        @SuppressWarnings("unchecked")
        TableView<Api.HistoryEntry> history = robot.lookup("#historyTable").queryAs(TableView.class);
        eventually().until(() -> {
            fx(() -> {
                view.refresh();
                return null;
            });
            return fx(() -> history.getItems().stream().map(Api.HistoryEntry::summary).toList()).contains(SUMMARY);
        });
        // shown whole in its column, not cut to "…"
        eventually().until(() -> fx(() -> robot.lookup("#historyTable .table-cell").queryAll().stream()
                .map(n -> (javafx.scene.control.TableCell<?, ?>) n).filter(c -> SUMMARY.equals(c.getText()))
                .anyMatch(c -> !c.isTextTruncated())));
        assertThat(fx(() -> robot.lookup("#historyTable .table-cell").queryAll().stream()
                .map(n -> (javafx.scene.control.TableCell<?, ?>) n).filter(javafx.scene.control.TableCell::isTextTruncated)
                .map(javafx.scene.control.TableCell::getText).toList())).isEmpty();
    }

    private static long redPixels(Image image) {
        if (image == null) {
            return 0;
        }
        PixelReader pixels = image.getPixelReader();
        long red = 0;
        for (int y = 0; y < (int) image.getHeight(); y++) {
            for (int x = 0; x < (int) image.getWidth(); x++) {
                int argb = pixels.getArgb(x, y);
                int r = argb >> 16 & 0xff;
                int g = argb >> 8 & 0xff;
                int b = argb & 0xff;
                if (Math.abs(r - 0xc6) < 30 && g < 70 && b < 70) { // the legend's red, #c62828
                    red++;
                }
            }
        }
        return red;
    }

    private static List<String> details(ListView<TrafficHistory.Marker> changes) {
        return fx(() -> changes.getItems().stream().map(TrafficHistory.Marker::detail).toList());
    }
}
