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

        // the dashed line of b's DOWN marker is drawn in the legend's red
        eventually().until(() -> redPixels(fx(() -> robot.lookup("#trafficChart").queryAs(ImageView.class).getImage())) > 20);
        Screenshots.save(robot.lookup("#main").query(), "overview-down-marker");
    }

    @Test
    void aHandEditIsListedInTheHistoryByWhatItChanged(FxRobot robot) throws Exception {
        ApplianceView view = openAppliance(robot, "History");
        String edited = appliance.configText().replace("addr = \"" + appliance.backendB().addr() + "\"\nweight = 1",
                "addr = \"" + appliance.backendB().addr() + "\"\nweight = 4");
        java.nio.file.Files.writeString(appliance.config(), edited);
        @SuppressWarnings("unchecked")
        TableView<Api.HistoryEntry> history = robot.lookup("#historyTable").queryAs(TableView.class);
        eventually().until(() -> {
            fx(() -> {
                view.refresh();
                return null;
            });
            return fx(() -> history.getItems().stream().map(Api.HistoryEntry::summary).toList()).contains("b weight 1 → 4");
        });
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
