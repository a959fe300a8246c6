package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import java.util.List;
import java.util.Map;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class ProxyHeaderAndSniAreEditedTest extends ConsoleTestBase {

    @Test
    void aFrontendsProxyHeaderAndSniMapAndAPoolsSendProxyAreShownAndChanged(FxRobot robot) throws Exception {
        ApplianceView view = openAppliance(robot, "Frontends");
        eventually().until(() -> frontends(robot).stream().anyMatch(f -> f.name().equals("web")));
        selectRowIn(robot, "#frontendTable", "web");
        assertThat(text(cellIn(robot, "#frontendTable", "web", "PROXY / SNI"))).isEqualTo("plain TCP");

        // A route to a pool that does not exist is refused by the appliance and shown beside the map.
        robot.clickOn("#acceptProxy");
        robot.clickOn("#sniMap").write("a.example = nowhere");
        robot.clickOn("#applyPreamble");
        eventually().until(() -> labelText(robot, "#sniMapProblem").contains("(expected: a pool defined in [backends])"));
        assertThat(appliance.configVersion()).isEqualTo(1);

        fx(() -> {
            robot.lookup("#sniMap").queryAs(TextArea.class).setText("a.example = web_pool\n*.example = web_pool");
            return null;
        });
        choose(robot, "#sniMismatch", "reject");
        robot.clickOn("#applyPreamble");
        eventually().until(() -> frontends(robot).stream().anyMatch(f -> f.name().equals("web") && f.acceptProxy()
                && f.sni().equals(Map.of("a.example", "web_pool", "*.example", "web_pool"))
                && f.sniMismatch().equals("reject")));
        eventually().until(() -> text(cellIn(robot, "#frontendTable", "web", "PROXY / SNI")).equals("PROXY header · SNI 2 names"));
        assertThat(appliance.configText()).contains("accept_proxy = true", "[frontends.web.sni]",
                "\"*.example\" = \"web_pool\"", "sni_mismatch = \"reject\"");
        Screenshots.save(robot.lookup("#main").query(), "frontend-preamble");

        fx(() -> {
            view.select("Pools");
            return null;
        });
        selectRowIn(robot, "#poolTable", "web_pool");
        choose(robot, "#poolSendProxy", "v1");
        robot.clickOn("#applyPool");
        eventually().until(() -> pools(robot).stream().anyMatch(p -> p.name().equals("web_pool") && "v1".equals(p.sendProxy())));
        assertThat(appliance.configText()).contains("send_proxy = \"v1\"");
    }

    @SuppressWarnings("unchecked")
    private static List<Api.Frontend> frontends(FxRobot robot) {
        return fx(() -> List.copyOf(robot.lookup("#frontendTable").queryAs(TableView.class).getItems()));
    }

    @SuppressWarnings("unchecked")
    private static List<Api.Pool> pools(FxRobot robot) {
        return fx(() -> List.copyOf(robot.lookup("#poolTable").queryAs(TableView.class).getItems()));
    }
}
