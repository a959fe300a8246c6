package io.convey.console.frontends;

import static io.convey.console.fx.Tables.column;

import io.convey.console.client.Api;
import io.convey.console.fx.FieldProblems;
import io.convey.console.fx.Format;
import io.convey.console.fx.Forms;
import io.convey.console.fx.Tables;
import io.convey.console.fx.UdpText;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.property.StringProperty;
import javafx.collections.MapChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The frontends (listeners): where they listen, which pool they feed, their counters; change, remove and add. */
public final class FrontendsView extends VBox {
    private final FrontendsViewModel model;
    private final TableView<Api.Frontend> table = new TableView<>();

    public FrontendsView(FrontendsViewModel model) {
        this.model = model;
        setId("frontends");
        setSpacing(8);
        setPadding(new Insets(10));
        buildTable();
        VBox.setVgrow(table, Priority.ALWAYS);
        Label message = new Label();
        message.setId("frontendMessage");
        message.getStyleClass().add("status-line");
        message.textProperty().bind(model.message());
        PreambleForm preamble = new PreambleForm(model.preamble());
        preamble.disableProperty().bind(model.selectedFrontend().isNull());
        HBox forms = new HBox(24, editForm(), preamble, addForm(),
                new TrafficForm(model.session(), model.selectedFrontend(), model::written));
        forms.setId("frontendForms");
        forms.disableProperty().bind(model.mayEdit().not());
        getChildren().addAll(table, message, forms);
    }

    private void buildTable() {
        table.setId("frontendTable");
        table.setPlaceholder(new Label("no frontends"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Tables.bind(table, model.frontends(), Api.Frontend::name, model.selected());
        TableColumn<Api.Frontend, String> problem = column("Problem", f -> model.rowProblems().getOrDefault(f.name(), ""));
        problem.setCellFactory(c -> Tables.problemCell());
        table.getColumns().addAll(List.of(column("Name", Api.Frontend::name),
                column("Protocol", f -> f.protocol() == null ? "TCP" : f.protocol().toUpperCase(java.util.Locale.ROOT)),
                column("Listen", Api.Frontend::listenAddr),
                column("Bound", Api.Frontend::boundAddr), column("Pool", Api.Frontend::backend),
                column("Active", f -> f.counters().currentConnections()),
                column("Total", f -> f.counters().totalConnections()),
                // tx (client → server) before rx (server → client), as docs/api.md defines them
                column("Bytes tx", f -> Format.bytes(f.counters().bytesTx())),
                column("Bytes rx", f -> Format.bytes(f.counters().bytesRx())),
                column("UDP", f -> UdpText.frontend(f.udp())),
                column("Max conn", f -> f.maxConnections() == 0 ? "no limit" : f.maxConnections() + " (" + f.refusedFull()
                        + " refused)"),
                column("PROXY / SNI", PreambleViewModel::summary),
                column("Refused (lists)", f -> f.refusals().refusedByAcl()),
                column("Rate-limited", f -> f.refusals().rateLimited()), problem));
        table.getColumns().forEach(c -> c.setPrefWidth(switch (c.getText()) {
            case "Listen", "Bound" -> 140;
            case "Refused (lists)", "Rate-limited" -> 100;
            case "Problem" -> 320;
            case "UDP" -> 260;
            default -> 80;
        }));
        model.rowProblems().addListener((MapChangeListener<String, String>) c -> table.refresh());
    }

    private VBox editForm() {
        Label title = new Label();
        title.getStyleClass().add("subsection-title");
        title.textProperty().bind(Bindings.createStringBinding(() -> model.selectedFrontend().get() == null
                ? "Select a frontend to change it" : "Frontend " + model.selectedFrontend().get().name(),
                model.selectedFrontend()));
        FieldProblems problems = model.editProblems();
        GridPane grid = new GridPane(6, 4);
        Forms.row(grid, 0, "Listen address", field("frontendListen", "ip:port", model.listenAddr()), problems, "listen_addr");
        Forms.row(grid, 1, "Pool", pools("frontendPool", model.backend()), problems, "backend");
        Forms.row(grid, 2, "Protocol", protocols("frontendProtocol", model.protocol()), problems, "protocol");
        Forms.row(grid, 3, "Max connections", field("frontendMaxConnections", "0 = no limit", model.maxConnections()),
                problems, "max_connections");
        Button apply = new Button("Apply");
        apply.setId("applyFrontend");
        apply.setOnAction(e -> model.apply());
        Button remove = new Button("Remove frontend");
        remove.setId("removeFrontend");
        remove.setOnAction(e -> model.remove());
        HBox buttons = new HBox(6, apply, remove);
        grid.disableProperty().bind(model.selectedFrontend().isNull());
        buttons.disableProperty().bind(model.selectedFrontend().isNull());
        VBox form = new VBox(6, title, grid, buttons, Forms.problem(problems, FieldProblems.FORM, "frontendProblem"));
        form.setPrefWidth(460);
        return form;
    }

    private VBox addForm() {
        Label title = new Label("Add a frontend");
        title.getStyleClass().add("subsection-title");
        FieldProblems problems = model.addProblems();
        GridPane grid = new GridPane(6, 4);
        Forms.row(grid, 0, "Name", field("newFrontendName", "name", model.newName()), problems, "name");
        Forms.row(grid, 1, "Listen address", field("newFrontendListen", "ip:port", model.newListenAddr()), problems, "listen_addr");
        Forms.row(grid, 2, "Pool", pools("newFrontendPool", model.newBackend()), problems, "backend");
        Forms.row(grid, 3, "Protocol", protocols("newFrontendProtocol", model.newProtocol()), problems, "protocol");
        Button add = new Button("Add frontend");
        add.setId("addFrontend");
        add.disableProperty().bind(model.newName().isEmpty().or(model.newListenAddr().isEmpty()));
        add.setOnAction(e -> model.add());
        VBox form = new VBox(6, title, grid, add, Forms.problem(problems, FieldProblems.FORM, "addFrontendProblem"));
        form.setPrefWidth(460);
        return form;
    }

    private static TextField field(String id, String prompt, StringProperty value) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.textProperty().bindBidirectional(value);
        return field;
    }

    private static ComboBox<String> protocols(String id, StringProperty value) {
        ComboBox<String> protocols = new ComboBox<>(javafx.collections.FXCollections.observableArrayList(
                FrontendsViewModel.PROTOCOLS));
        protocols.setId(id);
        protocols.valueProperty().bindBidirectional(value);
        return protocols;
    }

    private ComboBox<String> pools(String id, StringProperty value) {
        ComboBox<String> pools = new ComboBox<>(model.poolNames());
        pools.setId(id);
        pools.valueProperty().bindBidirectional(value);
        return pools;
    }
}
