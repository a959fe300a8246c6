package io.convey.console.access;

import static io.convey.console.fx.Tables.column;

import io.convey.console.client.Api;
import io.convey.console.fx.Format;
import io.convey.console.fx.Tables;
import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Users (admins only) on the left, API tokens on the right. */
public final class AccessView extends HBox {
    public AccessView(AccessViewModel model) {
        setId("access");
        setSpacing(24);
        setPadding(new Insets(10));
        VBox users = users(model);
        VBox tokens = tokens(model);
        HBox.setHgrow(users, Priority.ALWAYS);
        HBox.setHgrow(tokens, Priority.ALWAYS);
        Label message = new Label();
        message.setId("accessMessage");
        message.setWrapText(true);
        message.textProperty().bind(model.message());
        getChildren().addAll(users, new VBox(8, tokens, message));
    }

    private static VBox users(AccessViewModel model) {
        Label title = new Label("Users");
        title.getStyleClass().add("subsection-title");
        TableView<Api.User> table = new TableView<>();
        table.setId("userTable");
        Tables.bind(table, model.users(), Api.User::name, new SimpleStringProperty());
        table.setPlaceholder(new Label("only admins see and manage users"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().addAll(java.util.List.of(column("Name", Api.User::name), column("Role", Api.User::role),
                column("Created", u -> Format.dateTime(u.createdAt()))));

        TextField name = new TextField();
        name.setId("newUserName");
        name.setPromptText("name");
        ComboBox<String> role = new ComboBox<>(FXCollections.observableArrayList(AccessViewModel.roles()));
        role.setId("userRole");
        role.setValue("viewer");
        PasswordField password = new PasswordField();
        password.setId("userPassword");
        password.setPromptText("password (10+ characters)");
        Button add = new Button("Add user");
        add.setId("addUser");
        add.disableProperty().bind(name.textProperty().isEmpty().or(password.textProperty().isEmpty()));
        add.setOnAction(e -> {
            model.addUser(name.getText(), role.getValue(), password.getText());
            password.clear();
        });
        var none = table.getSelectionModel().selectedItemProperty().isNull();
        Button changeRole = new Button("Give selected user this role");
        changeRole.setId("changeUserRole");
        changeRole.disableProperty().bind(none);
        changeRole.setOnAction(e -> model.changeRole(table.getSelectionModel().getSelectedItem(), role.getValue()));
        Button reset = new Button("Set selected user's password");
        reset.setId("resetUserPassword");
        reset.disableProperty().bind(none.or(password.textProperty().isEmpty()));
        reset.setOnAction(e -> {
            model.resetPassword(table.getSelectionModel().getSelectedItem(), password.getText());
            password.clear();
        });
        Button remove = new Button("Remove selected user");
        remove.setId("removeUser");
        remove.disableProperty().bind(none);
        remove.setOnAction(e -> model.removeUser(table.getSelectionModel().getSelectedItem()));

        GridPane form = new GridPane(6, 6);
        form.addRow(0, new Label("Name"), name);
        form.addRow(1, new Label("Role"), role);
        form.addRow(2, new Label("Password"), password);
        VBox box = new VBox(8, title, table, form, new HBox(6, add, changeRole, reset, remove));
        box.setId("userAdministration");
        box.disableProperty().bind(model.mayAdminister().not());
        VBox.setVgrow(table, Priority.ALWAYS);
        return box;
    }

    private static VBox tokens(AccessViewModel model) {
        Label title = new Label("API tokens");
        title.getStyleClass().add("subsection-title");
        TableView<Api.Token> table = new TableView<>();
        table.setId("tokenTable");
        Tables.bind(table, model.tokens(), Api.Token::id, new SimpleStringProperty());
        table.setPlaceholder(new Label("no tokens"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().addAll(java.util.List.of(column("Name", Api.Token::name), column("User", Api.Token::user),
                column("Created", t -> Format.dateTime(t.createdAt())),
                column("Last used", t -> t.lastUsedAt() == null ? "never" : Format.dateTime(t.lastUsedAt()))));
        Button revoke = new Button("Revoke selected token");
        revoke.setId("revokeToken");
        revoke.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        revoke.setOnAction(e -> model.revokeToken(table.getSelectionModel().getSelectedItem()));
        TextField name = new TextField();
        name.setId("newTokenName");
        name.setPromptText("name, e.g. prometheus");
        Button create = new Button("Create token");
        create.setId("createToken");
        create.disableProperty().bind(name.textProperty().isEmpty());
        create.setOnAction(e -> model.createToken(name.getText()));
        TextField secret = new TextField();
        secret.setId("newTokenSecret");
        secret.setEditable(false);
        secret.getStyleClass().add("code");
        secret.textProperty().bind(model.newToken());
        secret.visibleProperty().bind(Bindings.isNotEmpty(model.newToken()));
        secret.managedProperty().bind(secret.visibleProperty());
        VBox box = new VBox(8, title, table, new HBox(6, revoke), new HBox(6, name, create), secret);
        VBox.setVgrow(table, Priority.ALWAYS);
        return box;
    }
}
