package io.convey.console.appliances;

import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;

/** The list of appliances with their lights, and the form that adds one. */
public final class AppliancesView extends VBox {
    private final AppliancesViewModel model;
    private final ListView<AppliancesViewModel.Entry> list = new ListView<>();

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
        removeButton.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        removeButton.setOnAction(e -> model.remove(selected()));
        Button windowButton = new Button("New window");
        windowButton.setTooltip(new javafx.scene.control.Tooltip("Open in a window of its own"));
        windowButton.setId("openApplianceWindow");
        windowButton.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        windowButton.setOnAction(e -> openInWindow.accept(selected()));
        HBox actions = new HBox(6, openButton, windowButton, removeButton);
        actions.getChildren().forEach(b -> ((Button) b).setMinWidth(Region.USE_PREF_SIZE));

        getChildren().addAll(title, list, actions, addForm(open));
    }

    private AppliancesViewModel.Entry selected() {
        return list.getSelectionModel().getSelectedItem();
    }

    private VBox addForm(Consumer<AppliancesViewModel.Entry> open) {
        TextField name = new TextField();
        name.setId("applianceName");
        name.setPromptText("name (optional)");
        TextField address = new TextField();
        address.setId("applianceAddress");
        address.setPromptText("host:port of the admin server");
        PasswordField token = new PasswordField();
        token.setId("applianceToken");
        token.setPromptText("token (for remote writes)");
        Button add = new Button("Add and open");
        add.setId("addAppliance");
        add.setOnAction(e -> model.add(name.getText(), address.getText(), token.getText()).ifPresent(entry -> {
            name.clear();
            address.clear();
            token.clear();
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
        grid.addRow(2, new Label("Token"), token);
        GridPane.setHgrow(address, Priority.ALWAYS);
        Label heading = new Label("Add an appliance");
        heading.getStyleClass().add("subsection-title");
        return new VBox(6, heading, grid, add, error);
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
