package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.scene.control.TextField;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

/** {@code --appliance URL}: a known appliance opens in its tab; an unknown one fills the add form for a login. */
class ApplianceArgumentOpensItTest extends ConsoleTestBase {

    @Test
    void aKnownApplianceOpensAndAnUnknownOneIsReadyToLogIn(FxRobot robot) throws Exception {
        fx(() -> {
            window.openAddress("127.0.0.1:1");
            return null;
        });
        assertThat(fx(() -> robot.lookup("#applianceAddress").queryAs(TextField.class).getText())).isEqualTo("127.0.0.1:1");
        assertThat(fx(() -> window.current().isPresent())).isFalse();

        fx(() -> {
            robot.lookup("#applianceAddress").queryAs(TextField.class).clear();
            return null;
        });
        openAppliance(robot, "Overview");
        fx(() -> {
            // closed as its close button does (which also ends its session), then opened again by its address
            javafx.scene.control.TabPane tabs = (javafx.scene.control.TabPane) robot.lookup("#applianceTabs").query();
            javafx.scene.control.Tab tab = tabs.getTabs().getFirst();
            tabs.getTabs().remove(tab);
            tab.getOnClosed().handle(new javafx.event.Event(javafx.scene.control.Tab.CLOSED_EVENT));
            return null;
        });
        assertThat(fx(() -> window.current().isPresent())).isFalse();
        fx(() -> {
            window.openAddress("https://" + appliance.adminAddress());
            return null;
        });
        eventually().until(() -> fx(() -> window.current().map(v -> v.session().appliance().name()).orElse("")).equals("lab"));
    }
}
