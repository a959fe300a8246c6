package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.appliance.TrafficHistory;
import io.convey.console.testing.Screenshots;
import java.util.List;
import java.util.Map;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListView;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class ChartsPerScopeTest extends ConsoleTestBase {

    @Test
    void chartsFollowTheChosenScopeAndListWhatChangedThere(FxRobot robot) throws Exception {
        ApplianceView view = openAppliance(robot, "Overview");
        eventually().until(() -> servers(robot).stream().allMatch(s -> s.health().up()));
        ComboBox<?> scope = robot.lookup("#chartScope").queryAs(ComboBox.class);
        eventually().until(() -> fx(() -> List.copyOf(scope.getItems())).containsAll(List.of("appliance", "frontend/web",
                "pool/web_pool", "server/web_pool/a", "server/web_pool/b")));
        assertThat(fx(() -> scope.getItems().getFirst())).isEqualTo("appliance");

        // Rates are differences between samples: connections before the first sample would not show.
        eventually().until(() -> fx(() -> view.session().traffic().snapshot("appliance").samples().size()) >= 2);
        appliance.split(10);
        appliance.client().updateServer("web_pool", "a", Map.of("weight", 3)).get();
        appliance.backendB().close();
        @SuppressWarnings("unchecked")
        ListView<TrafficHistory.Marker> changes = robot.lookup("#chartMarkers").queryAs(ListView.class);
        eventually().until(() -> details(changes).stream().anyMatch(d -> d.startsWith("web_pool/b down"))
                && details(changes).stream().anyMatch(d -> d.startsWith("v2 ") && d.contains("weight")));
        // The appliance's samples of server a carry its share of the ten connections.
        eventually().until(() -> fx(() -> view.session().traffic().snapshot("server/web_pool/a").samples().stream()
                .mapToDouble(s -> s.newConnections()).sum()) >= 5);

        Image before = fx(() -> robot.lookup("#trafficChart").queryAs(ImageView.class).getImage());
        choose(robot, "#chartScope", "server/web_pool/a");
        eventually().until(() -> fx(() -> robot.lookup("#trafficChart").queryAs(ImageView.class).getImage()) != before);
        // Server a's charts: the config change, not b's health.
        eventually().until(() -> details(changes).stream().noneMatch(d -> d.contains("web_pool/b"))
                && details(changes).stream().anyMatch(d -> d.startsWith("v2 ")));
        Screenshots.save(robot.lookup("#main").query(), "charts-server-a");

        choose(robot, "#chartScope", "pool/web_pool");
        eventually().until(() -> details(changes).stream().anyMatch(d -> d.startsWith("web_pool/b down")));
        choose(robot, "#chartScope", "server/web_pool/b");
        eventually().until(() -> details(changes).stream().anyMatch(d -> d.startsWith("web_pool/b down")));
        Screenshots.save(robot.lookup("#main").query(), "charts-server-b");
    }

    private static List<String> details(ListView<TrafficHistory.Marker> changes) {
        return fx(() -> changes.getItems().stream().map(TrafficHistory.Marker::detail).toList());
    }
}
