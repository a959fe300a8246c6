package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class ViewerCannotEditTest extends ConsoleTestBase {

    @Test
    void aViewerSeesEverythingButItsEditControlsAreDisabledAndARevokedTokenAsksToLogInAgain(FxRobot robot)
            throws Exception {
        appliance.addUser("vera", "viewer", "vera-password-1");
        addAppliance(robot, "lab", appliance, "vera", "vera-password-1");
        fx(() -> {
            window.current().orElseThrow().select("Servers");
            return null;
        });
        eventually().until(() -> servers(robot).size() == 2);
        eventually().until(() -> labelText(robot, "#sessionUser").equals("vera · viewer"));

        selectRow(robot, "a");
        assertThat(fx(() -> serverTable(robot).isEditable())).as("weights are not editable").isFalse();
        robot.doubleClickOn(cell(robot, "a", "Weight"));
        assertThat(fx(() -> serverTable(robot).getEditingCell())).isNull();
        for (String id : new String[] {"#enabledServer", "#drainServer", "#disabledServer", "#removeServer",
                "#addServerForm", "#whatIfForm"}) {
            assertThat(disabled(robot, id)).as(id).isTrue();
        }
        Screenshots.save(robot.lookup("#main").query(), "viewer-servers");
        select("Pools");
        assertThat(disabled(robot, "#poolForms")).isTrue();
        select("Frontends");
        assertThat(disabled(robot, "#frontendForms")).isTrue();
        select("History");
        assertThat(disabled(robot, "#rollback")).isTrue();
        select("Config file");
        assertThat(disabled(robot, "#pushConfig")).isTrue();
        assertThat(disabled(robot, "#validateConfig")).isTrue();
        assertThat(disabled(robot, "#loadConfig")).as("reading is a viewer's right").isFalse();
        select("Access");
        assertThat(disabled(robot, "#userAdministration")).isTrue();
        assertThat(appliance.configVersion()).isEqualTo(1);

        // An admin revokes the console's token: the console asks to log in again, and the login works.
        String id = appliance.client().tokens(true).get().stream().filter(t -> t.user().equals("vera"))
                .map(Api.Token::id).findFirst().orElseThrow();
        appliance.client().revokeToken(id).get();
        eventually().until(() -> fx(() -> robot.lookup("#loginPrompt").query().isVisible()));
        Screenshots.save(robot.lookup("#main").query(), "login-again");
        robot.clickOn("#loginUser").write("vera");
        robot.clickOn("#loginPassword").write("vera-password-1");
        robot.clickOn("#logIn");
        eventually().until(() -> !fx(() -> robot.lookup("#loginPrompt").query().isVisible()));
        eventually().until(() -> labelText(robot, "#sessionError").isEmpty());
        assertThat(appliance.client().tokens(true).get()).filteredOn(t -> t.user().equals("vera")).hasSize(1)
                .noneMatch(t -> t.id().equals(id));
    }

    private void select(String screen) {
        fx(() -> {
            window.current().orElseThrow().select(screen);
            return null;
        });
    }

    private static boolean disabled(FxRobot robot, String id) {
        return fx(() -> robot.lookup(id).query().isDisabled());
    }
}
