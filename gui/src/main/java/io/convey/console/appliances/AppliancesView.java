package io.convey.console.appliances;

import java.util.List;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.stage.FileChooser;

/** The list of appliances with their lights, and the form that adds one (log in, trust its certificate). */
public final class AppliancesView extends VBox {
    private final AppliancesViewModel model;
    private final ListView<AppliancesViewModel.Entry> list = new ListView<>();
    private final TextField addressField = field("applianceAddress", "host:port of the admin server");
    private final TextField userField = field("applianceUser", "user");

    /** {@code open} opens an entry in a tab, {@code openInWindow} in a window of its own. */
    public AppliancesView(AppliancesViewModel model, Consumer<AppliancesViewModel.Entry> open,
            Consumer<AppliancesViewModel.Entry> openInWindow) {
        this.model = model;
        setId("appliances");
        setSpacing(8);
        setPadding(new Insets(10));
        setPrefWidth(240);

        Label title = new Label("Appliances");
        title.getStyleClass().add("section-title");

        list.setId("applianceList");
        list.setItems(model.entries());
        list.setCellFactory(v -> new EntryCell());
        list.setPlaceholder(new Label("No appliance yet: add one below."));
        list.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && selected() != null) {
                open.accept(selected());
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);

        Button openButton = new Button("Open");
        openButton.setId("openAppliance");
        openButton.setDefaultButton(false);
        openButton.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        openButton.setOnAction(e -> open.accept(selected()));
        Button removeButton = new Button("Forget");
        removeButton.setId("forgetAppliance");
        removeButton.setTooltip(new Tooltip("Forget this appliance and revoke the console's token on it"));
        removeButton.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        removeButton.setOnAction(e -> model.remove(selected()));
        Button windowButton = new Button("New window");
        windowButton.setTooltip(new Tooltip("Open in a window of its own"));
        windowButton.setId("openApplianceWindow");
        windowButton.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        windowButton.setOnAction(e -> openInWindow.accept(selected()));
        HBox actions = new HBox(6, openButton, windowButton, removeButton);
        actions.getChildren().forEach(b -> ((Button) b).setMinWidth(Region.USE_PREF_SIZE));

        getChildren().addAll(title, list, actions, addForm(open));
    }

    /** Fills the add form with an address to log in to (an appliance named on the command line, not known yet). */
    public void prefill(String address) {
        addressField.setText(address);
        userField.requestFocus();
    }

    private AppliancesViewModel.Entry selected() {
        return list.getSelectionModel().getSelectedItem();
    }

    private VBox addForm(Consumer<AppliancesViewModel.Entry> open) {
        TextField name = field("applianceName", "name (optional)");
        TextField address = addressField;
        TextField user = userField;
        PasswordField password = new PasswordField();
        password.setId("appliancePassword");
        password.setPromptText("password");
        PasswordField token = new PasswordField();
        token.setId("applianceToken");
        token.setPromptText("or an API token");
        TextField caFile = field("applianceCaFile", "CA file (PEM), optional");
        Button browse = new Button("…");
        browse.setTooltip(new Tooltip("Choose the CA certificate (PEM) that issued the appliance's certificate"));
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("CA certificate (PEM)");
            java.io.File chosen = chooser.showOpenDialog(getScene().getWindow());
            if (chosen != null) {
                caFile.setText(chosen.getPath());
            }
        });
        Button add = new Button("Connect and log in");
        add.setId("addAppliance");
        add.disableProperty().bind(model.busy().or(model.pendingTrust().isNotNull()));
        add.setOnAction(e -> model.add(name.getText(), address.getText(),
                new Credentials(user.getText(), password.getText(), token.getText()), caFile.getText(), entry -> {
                    List.of(name, address, user, password, token, caFile).forEach(TextField::clear);
                    list.getSelectionModel().select(entry);
                    open.accept(entry);
                }));
        Label error = new Label();
        error.setId("applianceError");
        error.getStyleClass().add("error");
        error.setWrapText(true);
        error.textProperty().bind(model.error());
        error.visibleProperty().bind(Bindings.isNotEmpty(model.error()));
        error.managedProperty().bind(error.visibleProperty());

        GridPane grid = new GridPane(6, 6);
        grid.addRow(0, new Label("Name"), name);
        grid.addRow(1, new Label("Address"), address);
        grid.addRow(2, new Label("User"), user);
        grid.addRow(3, new Label("Password"), password);
        grid.addRow(4, new Label("Token"), token);
        HBox ca = new HBox(4, caFile, browse);
        HBox.setHgrow(caFile, Priority.ALWAYS);
        grid.addRow(5, new Label("CA file"), ca);
        GridPane.setHgrow(address, Priority.ALWAYS);
        grid.getChildren().stream().filter(Label.class::isInstance).forEach(l -> ((Label) l).setMinWidth(Region.USE_PREF_SIZE));
        Label heading = new Label("Add an appliance");
        heading.getStyleClass().add("subsection-title");
        return new VBox(6, heading, grid, add, trustPrompt(), error);
    }

    /** Shown on the first connection to an appliance: its certificate's fingerprint, trust or cancel. */
    private VBox trustPrompt() {
        Label question = new Label();
        question.setId("trustQuestion");
        question.setWrapText(true);
        Label fingerprint = new Label();
        fingerprint.setId("trustFingerprint");
        fingerprint.setWrapText(true);
        fingerprint.getStyleClass().add("code");
        // Wrapped in full, never cut short: the operator compares every byte.
        question.setMinHeight(Region.USE_PREF_SIZE);
        fingerprint.setMinHeight(Region.USE_PREF_SIZE);
        model.pendingTrust().addListener((o, was, now) -> {
            question.setText(now == null ? "" : now.appliance().url() + " presents a certificate the console has not "
                    + "seen (" + now.subject() + "). Compare its SHA-256 fingerprint with `convey --admin-fingerprint` "
                    + "on the appliance before trusting it:");
            fingerprint.setText(now == null ? "" : now.fingerprint());
        });
        Button trust = new Button("Trust this certificate");
        trust.setId("trustCertificate");
        trust.setOnAction(e -> model.trustPending());
        Button reject = new Button("Cancel");
        reject.setId("rejectCertificate");
        reject.setOnAction(e -> model.rejectPending());
        VBox prompt = new VBox(6, question, fingerprint, new HBox(6, trust, reject));
        prompt.setId("trustPrompt");
        prompt.getStyleClass().add("trust-prompt");
        prompt.visibleProperty().bind(model.pendingTrust().isNotNull());
        prompt.managedProperty().bind(prompt.visibleProperty());
        return prompt;
    }

    private static TextField field(String id, String prompt) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        return field;
    }

    /** Light, name, address and what the last check found. */
    private static final class EntryCell extends ListCell<AppliancesViewModel.Entry> {
        @Override
        protected void updateItem(AppliancesViewModel.Entry entry, boolean empty) {
            super.updateItem(entry, empty);
            textProperty().unbind();
            if (empty || entry == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            Circle light = new Circle(6);
            light.fillProperty().bind(Bindings.createObjectBinding(() -> color(entry.light().get()), entry.light()));
            light.setStroke(Color.gray(0.3));
            setGraphic(light);
            textProperty().bind(Bindings.createStringBinding(() -> entry.appliance().name() + "\n"
                    + entry.appliance().url().getAuthority() + " · " + word(entry.light().get()) + "\n"
                    + entry.detail().get(), entry.light(), entry.detail()));
        }

        private static Color color(AppliancesViewModel.Light light) {
            return switch (light) {
                case UP -> Color.web("#2e9d4a");
                case DEGRADED -> Color.web("#e0a000");
                case UNREACHABLE -> Color.web("#c62828");
                case UNKNOWN -> Color.gray(0.7);
            };
        }

        private static String word(AppliancesViewModel.Light light) {
            return switch (light) {
                case UP -> "up";
                case DEGRADED -> "degraded";
                case UNREACHABLE -> "unreachable";
                case UNKNOWN -> "checking";
            };
        }
    }
}
