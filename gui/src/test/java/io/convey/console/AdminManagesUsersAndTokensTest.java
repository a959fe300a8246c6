package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import java.util.List;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class AdminManagesUsersAndTokensTest extends ConsoleTestBase {

    @Test
    void anAdminAddsAUserChangesItsRoleAndPasswordRemovesItAndRevokesATokenItMade(FxRobot robot) throws Exception {
        ApplianceView view = openAppliance(robot, "Access");
        @SuppressWarnings("unchecked")
        TableView<Api.User> users = robot.lookup("#userTable").queryAs(TableView.class);
        eventually().until(() -> names(users).contains("admin"));

        robot.clickOn("#newUserName").write("olga");
        choose(robot, "#userRole", "operator");
        robot.clickOn("#userPassword").write("olga-password-1");
        robot.clickOn("#addUser");
        eventually().until(() -> names(users).contains("olga"));
        assertThat(role("olga")).isEqualTo("operator");
        assertThat(appliance.client().users().get()).extracting(Api.User::name, Api.User::role)
                .contains(org.assertj.core.groups.Tuple.tuple("olga", "operator"));

        selectRowIn(robot, "#userTable", "olga");
        choose(robot, "#userRole", "viewer");
        robot.clickOn("#changeUserRole");
        eventually().until(() -> role("olga").equals("viewer"));

        // A new password: the old one no longer logs in, the new one does.
        robot.clickOn("#userPassword").write("olga-password-2");
        robot.clickOn("#resetUserPassword");
        eventually().until(() -> labelText(robot, "#accessMessage").equals("password of olga changed"));
        assertThat(appliance.client().login("olga", "olga-password-2", "check").get().role()).isEqualTo("viewer");

        // A token made here is shown once and can be revoked here.
        robot.clickOn("#newTokenName").write("prometheus");
        robot.clickOn("#createToken");
        TextField secret = robot.lookup("#newTokenSecret").queryAs(TextField.class);
        eventually().until(() -> fx(secret::getText).startsWith("cvy_"));
        @SuppressWarnings("unchecked")
        TableView<Api.Token> tokens = robot.lookup("#tokenTable").queryAs(TableView.class);
        eventually().until(() -> fx(() -> tokens.getItems().stream().anyMatch(t -> t.name().equals("prometheus"))));
        Screenshots.save(robot.lookup("#main").query(), "access");
        selectRowIn(robot, "#tokenTable", "prometheus");
        robot.clickOn("#revokeToken");
        eventually().until(() -> fx(() -> tokens.getItems().stream().noneMatch(t -> t.name().equals("prometheus"))));
        assertThat(appliance.client().tokens(true).get()).extracting(Api.Token::name).doesNotContain("prometheus");

        selectRowIn(robot, "#userTable", "olga");
        robot.clickOn("#removeUser");
        eventually().until(() -> !names(users).contains("olga"));
        assertThat(appliance.client().users().get()).extracting(Api.User::name).containsExactly("admin");
        // Still logged in: the console's own token is untouched.
        assertThat(fx(() -> view.session().loginNeeded().get())).isFalse();
    }

    private static List<String> names(TableView<Api.User> users) {
        return fx(() -> users.getItems().stream().map(Api.User::name).toList());
    }

    private String role(String user) throws Exception {
        return appliance.client().users().get().stream().filter(u -> u.name().equals(user)).findFirst()
                .orElseThrow().role();
    }
}
