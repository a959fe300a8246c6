package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.appliances.Appliance;
import io.convey.console.appliances.ApplianceStore;
import io.convey.console.client.Api;
import io.convey.console.client.Trust;
import io.convey.console.testing.Screenshots;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class ConnectShowsServersAndHealthTest extends ConsoleTestBase {

    @Test
    void addingAnApplianceConnectsShowsItsServersUpAndRemembersIt(FxRobot robot) throws Exception {
        addAppliance(robot, "lab", appliance, "admin", appliance.adminPassword());

        eventually().until(() -> servers(robot).size() == 2
                && servers(robot).stream().allMatch(s -> s.health() != null && s.health().checked() && s.health().up()));
        assertThat(servers(robot)).extracting(Api.Server::name).containsExactlyInAnyOrder("a", "b");
        assertThat(servers(robot)).extracting(Api.Server::addr)
                .containsExactlyInAnyOrder(appliance.backendA().addr(), appliance.backendB().addr());

        eventually().until(() -> "proxy".equals(fx(() -> robot.lookup("#mode").queryAs(Label.class).getText())));
        assertThat(fx(() -> robot.lookup("#configVersion").queryAs(Label.class).getText())).isEqualTo("1");
        assertThat(fx(() -> robot.lookup("#configFile").queryAs(Label.class).getText()))
                .isEqualTo(appliance.config().toString());
        eventually().until(() -> "connected".equals(fx(() -> robot.lookup("#stream").queryAs(Label.class).getText())));
        eventually().until(() -> fx(() -> robot.lookup("#trafficChart").queryAs(ImageView.class).getImage()) != null
                && fx(() -> robot.lookup("#connectionsChart").queryAs(ImageView.class).getImage()) != null);

        assertThat(new ApplianceStore(consoleDir().resolve("appliances.json")).load())
                .extracting(Appliance::name, Appliance::url, Appliance::trust)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("lab", appliance.adminUrl(),
                        new Trust.Pinned(appliance.fingerprint())));

        appliance.split(12);
        eventually().until(() -> fx(() -> robot.lookup("#totals").queryAs(Label.class).getText()).contains("12 connections"));
        assertThat(fx(() -> robot.lookup("#dataPlane").queryAs(Label.class).getText())).matches("(io_uring|epoll|nio) transport, \\d+ connections now");
        Screenshots.save(robot.lookup("#main").query(), "overview");
        fx(() -> {
            window.current().orElseThrow().select("Servers");
            return null;
        });
        selectRow(robot, "a");
        Screenshots.save(robot.lookup("#main").query(), "servers");
        fx(() -> {
            window.current().orElseThrow().select("Frontends");
            return null;
        });
        Screenshots.save(robot.lookup("#main").query(), "frontends");
    }
}
