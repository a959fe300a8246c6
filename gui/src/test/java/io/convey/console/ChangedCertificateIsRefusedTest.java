package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.appliances.Appliance;
import io.convey.console.appliances.ApplianceStore;
import io.convey.console.appliances.AppliancesViewModel;
import io.convey.console.client.Trust;
import io.convey.console.testing.Screenshots;
import javafx.scene.control.ListView;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class ChangedCertificateIsRefusedTest extends ConsoleTestBase {

    @Test
    void anApplianceServingAnotherCertificateIsRefusedWithBothFingerprintsShown(FxRobot robot) throws Exception {
        openAppliance(robot, "Servers");
        String trusted = appliance.fingerprint();

        // Restarted with a new certificate in its state directory, on the same address.
        appliance.restartWithNewCertificate();
        String presented = appliance.fingerprint();

        eventually().until(() -> labelText(robot, "#sessionError").contains("has changed"));
        assertThat(labelText(robot, "#sessionError")).contains("trusted SHA-256 " + trusted)
                .contains("presented SHA-256 " + presented).contains("refused");
        @SuppressWarnings("unchecked")
        ListView<AppliancesViewModel.Entry> entries = robot.lookup("#applianceList").queryAs(ListView.class);
        eventually().until(() -> fx(() -> entries.getItems().getFirst().light().get()
                == AppliancesViewModel.Light.UNREACHABLE && entries.getItems().getFirst().detail().get().contains(presented)));
        Screenshots.save(robot.lookup("#main").query(), "changed-certificate");

        // Nothing was accepted silently: the trusted fingerprint is still the old one, and no question was asked.
        assertThat(fx(() -> robot.lookup("#trustPrompt").query().isVisible())).isFalse();
        assertThat(new ApplianceStore(consoleDir().resolve("appliances.json")).load()).extracting(Appliance::trust)
                .containsExactly(new Trust.Pinned(trusted));
    }
}
