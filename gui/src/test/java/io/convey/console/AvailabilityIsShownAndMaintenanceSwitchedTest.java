package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/**
 * An appliance in a VRRP pair: the overview shows the state keepalived writes to the notify FIFO, and an operator's
 * maintenance switch puts the appliance in maintenance and back (its status agrees); a viewer's switch is disabled.
 */
class AvailabilityIsShownAndMaintenanceSwitchedTest extends ConsoleTestBase {
    private Path fifo() {
        return dir.resolve("vrrp.fifo");
    }

    @Override
    String moreSections() {
        return """

                [vrrp]
                interface = "lo"
                virtual_router_id = 51
                priority = 150
                notify_fifo = "%s"
                """.formatted(fifo());
    }

    /** Writes one state line as keepalived does to its vrrp_notify_fifo. */
    private void keepalivedNotifies(String state) throws IOException {
        // the appliance holds the FIFO open, so opening it for writing does not wait for a reader
        Files.writeString(fifo(), "INSTANCE \"convey_51\" " + state + " 150\n", StandardCharsets.US_ASCII,
                StandardOpenOption.WRITE);
    }

    private static String label(FxRobot robot, String id) {
        return fx(() -> robot.lookup(id).queryAs(Label.class).getText());
    }

    private Api.Announce announce() throws Exception {
        return appliance.client().status().get().announce();
    }

    @Test
    void anOperatorSeesTheVrrpStateAndPutsTheApplianceInMaintenance(FxRobot robot) throws Exception {
        appliance.addUser("otto", "operator", "otto-password-1");
        addAppliance(robot, "lab", appliance, "otto", "otto-password-1");
        eventually().until(() -> label(robot, "#vrrpState").equals("unknown"));
        // the test's frontend listens on loopback, which is never announced
        eventually().until(() -> label(robot, "#vipStates").startsWith("no VIP"));
        assertThat(label(robot, "#maintenance")).isEqualTo("in service");
        assertThat(label(robot, "#bgpSessions")).isEqualTo("not configured");

        keepalivedNotifies("MASTER");
        eventually().until(() -> label(robot, "#vrrpState").equals("MASTER"));
        keepalivedNotifies("BACKUP");
        eventually().until(() -> label(robot, "#vrrpState").equals("BACKUP"));
        assertThat(announce().vrrp().state()).isEqualTo("BACKUP");

        assertThat(fx(() -> robot.lookup("#maintenanceToggle").queryAs(Button.class).isDisabled())).isFalse();
        robot.clickOn("#maintenanceToggle");
        eventually().until(() -> label(robot, "#maintenance").startsWith("MAINTENANCE"));
        assertThat(announce().maintenance()).isTrue();
        Screenshots.save(robot.lookup("#main").query(), "availability-maintenance");

        robot.clickOn("#maintenanceToggle");
        eventually().until(() -> label(robot, "#maintenance").equals("in service"));
        assertThat(announce().maintenance()).isFalse();
    }

    @Test
    void aViewerSeesTheStateButCannotSwitchMaintenance(FxRobot robot) throws Exception {
        appliance.addUser("vera", "viewer", "vera-password-1");
        addAppliance(robot, "lab", appliance, "vera", "vera-password-1");
        keepalivedNotifies("MASTER");
        eventually().until(() -> label(robot, "#vrrpState").equals("MASTER"));
        eventually().until(() -> label(robot, "#sessionUser").equals("vera · viewer"));
        assertThat(fx(() -> robot.lookup("#maintenanceToggle").queryAs(Button.class).isDisabled())).isTrue();
    }
}
