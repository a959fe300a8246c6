package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.appliances.Appliance;
import io.convey.console.appliances.ApplianceStore;
import io.convey.console.appliances.AppliancesViewModel;
import io.convey.console.client.Api;
import io.convey.console.client.Trust;
import io.convey.console.testing.Screenshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

class TrustOnFirstUseIsRememberedTest extends ConsoleTestBase {

    @Test
    void theFirstConnectionAsksToTrustTheFingerprintAndARestartedConsoleRemembersIt(FxRobot robot) throws Exception {
        robot.clickOn("#applianceName").write("lab");
        robot.clickOn("#applianceAddress").write(appliance.adminAddress());
        robot.clickOn("#applianceUser").write("admin");
        robot.clickOn("#appliancePassword").write(appliance.adminPassword());
        robot.clickOn("#addAppliance");

        // The certificate is shown before anything is sent: no login yet, nothing remembered.
        eventually().until(() -> fx(() -> robot.lookup("#trustPrompt").query().isVisible()));
        assertThat(labelText(robot, "#trustFingerprint")).isEqualTo(appliance.fingerprint())
                .matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(labelText(robot, "#trustQuestion")).contains(appliance.adminUrl().toString());
        Screenshots.save(robot.lookup("#main").query(), "trust-on-first-use");
        assertThat(appliance.client().tokens(true).get()).extracting(Api.Token::name).noneMatch(n -> n.startsWith("console@"));
        assertThat(consoleDir().resolve("tokens.json")).doesNotExist();

        robot.clickOn("#trustCertificate");
        eventually().until(() -> fx(() -> window.current().isPresent()));
        fx(() -> {
            window.current().orElseThrow().select("Servers");
            return null;
        });
        eventually().until(() -> servers(robot).size() == 2);
        eventually().until(() -> labelText(robot, "#sessionUser").equals("admin · admin"));

        // The login made a token on the appliance, kept in a file only the operator can read.
        Path tokens = consoleDir().resolve("tokens.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(consoleDir()))).isEqualTo("rwx------");
        assertThat(Files.readString(tokens)).contains("cvy_").contains(appliance.adminUrl().toString())
                .doesNotContain(appliance.adminPassword());
        assertThat(appliance.client().tokens(true).get()).extracting(Api.Token::name, Api.Token::user)
                .contains(org.assertj.core.groups.Tuple.tuple(
                        "console@" + java.net.InetAddress.getLocalHost().getHostName(), "admin"));
        Path list = consoleDir().resolve("appliances.json");
        assertThat(Files.readString(list)).contains(appliance.fingerprint()).doesNotContain("cvy_");
        assertThat(new ApplianceStore(list).load()).extracting(Appliance::trust)
                .containsExactly(new Trust.Pinned(appliance.fingerprint()));

        // A new console on the same files: the appliance opens at once, no question asked.
        fx(() -> {
            window.close();
            return null;
        });
        Stage stage = FxToolkit.registerPrimaryStage();
        window = fx(() -> {
            MainWindow main = new MainWindow(AppliancesViewModel.in(consoleDir()));
            main.show(stage);
            return main;
        });
        @SuppressWarnings("unchecked")
        ListView<AppliancesViewModel.Entry> entries = robot.lookup("#applianceList").queryAs(ListView.class);
        eventually().until(() -> fx(() -> entries.getItems().size() == 1
                && entries.getItems().getFirst().light().get() == AppliancesViewModel.Light.UP));
        fx(() -> {
            entries.getSelectionModel().select(0);
            return null;
        });
        robot.clickOn("#openAppliance");
        eventually().until(() -> fx(() -> window.current().isPresent()));
        fx(() -> {
            window.current().orElseThrow().select("Servers");
            return null;
        });
        eventually().until(() -> servers(robot).size() == 2);
        assertThat(fx(() -> robot.lookup("#trustPrompt").query().isVisible())).isFalse();
        assertThat(labelText(robot, "#sessionUser")).isEqualTo("admin · admin");

        // Forgetting the appliance drops its token here and revokes it there.
        robot.clickOn("#forgetAppliance");
        eventually().until(() -> fx(() -> entries.getItems().isEmpty()));
        assertThat(Files.readString(tokens)).doesNotContain("cvy_");
        eventually().until(() -> appliance.client().tokens(true).get().stream()
                .noneMatch(t -> t.name().startsWith("console@")));
    }
}
