package io.convey.console;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.appliances.Credentials;
import io.convey.console.fx.Fx;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** Shown while the appliance refuses the console's token (revoked, its user removed): log in again. */
final class LoginPrompt extends VBox {
    LoginPrompt(ApplianceSession session) {
        setId("loginPrompt");
        getStyleClass().add("login-prompt");
        setSpacing(6);
        Label why = new Label("The appliance refused the console's token (revoked, or its user removed). Log in again:");
        why.setWrapText(true);
        TextField user = new TextField();
        user.setId("loginUser");
        user.setPromptText("user");
        PasswordField password = new PasswordField();
        password.setId("loginPassword");
        password.setPromptText("password");
        PasswordField token = new PasswordField();
        token.setId("loginToken");
        token.setPromptText("or an API token");
        Label problem = new Label();
        problem.setId("loginProblem");
        problem.getStyleClass().add("error");
        problem.setWrapText(true);
        Button logIn = new Button("Log in");
        logIn.setId("logIn");
        logIn.setDefaultButton(true);
        logIn.setOnAction(e -> {
            problem.setText("");
            logIn.setDisable(true);
            session.logIn(new Credentials(user.getText(), password.getText(), token.getText()), failure -> {
                logIn.setDisable(false);
                if (failure == null) {
                    password.clear();
                    token.clear();
                } else {
                    problem.setText(failure instanceof IllegalArgumentException ? failure.getMessage()
                            : Fx.describe(failure));
                }
            });
        });
        HBox fields = new HBox(6, user, password, token, logIn);
        fields.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(why, fields, problem);
        visibleProperty().bind(session.loginNeeded());
        managedProperty().bind(visibleProperty());
    }
}
