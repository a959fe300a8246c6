package io.convey.console.pools;

import static io.convey.console.fx.Tables.column;

import io.convey.console.client.Api;
import io.convey.console.fx.FieldProblems;
import io.convey.console.fx.Forms;
import io.convey.console.fx.Tables;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.MapChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The backend pools: a table, the selected pool's settings (change, remove) and a form that adds a pool. */
public final class PoolsView extends VBox {
    private final PoolsViewModel model;
    private final TableView<Api.Pool> table = new TableView<>();

    public PoolsView(PoolsViewModel model) {
        this.model = model;
        setId("pools");
        setSpacing(8);
        setPadding(new Insets(10));
        buildTable();
        VBox.setVgrow(table, Priority.ALWAYS);
        Label message = new Label();
        message.setId("poolMessage");
        message.getStyleClass().add("status-line");
        message.textProperty().bind(model.message());
        HBox forms = new HBox(24, settingsForm(), addForm());
        forms.setId("poolForms");
        forms.disableProperty().bind(model.mayEdit().not());
        getChildren().addAll(table, message, forms);
    }

    private void buildTable() {
        table.setId("poolTable");
        table.setPlaceholder(new Label("no pools"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPrefHeight(180);
        Tables.bind(table, model.pools(), Api.Pool::name, model.selected());
        TableColumn<Api.Pool, String> problem = column("Problem", p -> model.rowProblems().getOrDefault(p.name(), ""));
        problem.setId("poolProblemColumn");
        problem.setCellFactory(c -> Tables.problemCell());
        table.getColumns().addAll(List.of(column("Name", Api.Pool::name), column("Algorithm", Api.Pool::algorithm),
                column("Interval", p -> p.healthCheckIntervalMs() + " ms"),
                column("Timeout", p -> p.healthCheckTimeoutMs() + " ms"), column("Rise", Api.Pool::rise),
                column("Fall", Api.Pool::fall), column("Servers", PoolsView::servers),
                column("Queue", PoolsView::queue), column("Traffic control", PoolsView::traffic),
                column("Used by", p -> model.usedBy(p.name())), problem));
        table.getColumns().forEach(c -> c.setPrefWidth(switch (c.getText()) {
            case "Name", "Algorithm", "Used by", "Queue" -> 120;
            case "Traffic control" -> 260;
            case "Servers" -> 90;
            case "Problem" -> 320;
            default -> 80;
        }));
        model.rowProblems().addListener((MapChangeListener<String, String>) c -> table.refresh());
    }

    private VBox settingsForm() {
        Label title = new Label();
        title.getStyleClass().add("subsection-title");
        title.textProperty().bind(Bindings.createStringBinding(() -> model.selectedPool().get() == null
                ? "Select a pool to change it" : "Settings of pool " + model.selectedPool().get().name(),
                model.selectedPool()));
        GridPane grid = settingsGrid(model.settings(), model.settingsProblems(), "pool");
        Button apply = new Button("Apply");
        apply.setId("applyPool");
        apply.setOnAction(e -> model.apply());
        Button remove = new Button("Remove pool");
        remove.setId("removePool");
        remove.setOnAction(e -> model.remove());
        HBox buttons = new HBox(6, apply, remove);
        buttons.disableProperty().bind(model.selectedPool().isNull());
        grid.disableProperty().bind(model.selectedPool().isNull());
        VBox form = new VBox(6, title, grid, buttons,
                Forms.problem(model.settingsProblems(), FieldProblems.FORM, "poolSettingsProblem"));
        form.setPrefWidth(460);
        return form;
    }

    private VBox addForm() {
        Label title = new Label("Add a pool");
        title.getStyleClass().add("subsection-title");
        FieldProblems problems = model.addProblems();
        GridPane grid = new GridPane(6, 4);
        Forms.row(grid, 0, "Name", field("newPoolName", "name", model.newName()), problems, "name");
        GridPane settings = settingsGrid(model.newSettings(), problems, "newPool");
        GridPane server = new GridPane(6, 4);
        Forms.row(server, 0, "First server", field("newPoolServer", "name", model.newServer()), problems, "server");
        Forms.row(server, 1, "Address", field("newPoolAddr", "ip:port", model.newAddr()), problems, "addr");
        Forms.row(server, 2, "Weight", field("newPoolWeight", "1", model.newWeight()), problems, "weight");
        Button add = new Button("Add pool");
        add.setId("addPool");
        add.disableProperty().bind(model.newName().isEmpty().or(model.newServer().isEmpty())
                .or(model.newAddr().isEmpty()));
        add.setOnAction(e -> model.add());
        VBox form = new VBox(6, title, grid, settings, server, add,
                Forms.problem(problems, FieldProblems.FORM, "addPoolProblem"));
        form.setPrefWidth(460);
        return form;
    }

    private static GridPane settingsGrid(PoolSettings settings, FieldProblems problems, String idPrefix) {
        GridPane grid = new GridPane(6, 4);
        ComboBox<String> algorithm = new ComboBox<>();
        algorithm.getItems().setAll(PoolSettings.ALGORITHMS);
        algorithm.setId(idPrefix + "Algorithm");
        algorithm.valueProperty().bindBidirectional(settings.algorithm());
        Forms.row(grid, 0, "Algorithm", algorithm, problems, "algorithm");
        ComboBox<String> sendProxy = new ComboBox<>();
        sendProxy.getItems().setAll(PoolSettings.SEND_PROXY);
        sendProxy.setId(idPrefix + "SendProxy");
        sendProxy.valueProperty().bindBidirectional(settings.sendProxy());
        Forms.row(grid, 1, "PROXY header", sendProxy, problems, "send_proxy");
        int row = 2;
        for (var entry : PoolSettings.NUMBERS.entrySet()) {
            TextField input = field(idPrefix + "-" + entry.getKey(), "default", settings.number(entry.getKey()));
            input.setPrefColumnCount(8);
            Forms.row(grid, row++, entry.getValue(), input, problems, entry.getKey());
        }
        CheckBox observe = new CheckBox("failures of live traffic count toward fall");
        observe.setId(idPrefix + "-observe");
        observe.selectedProperty().bindBidirectional(settings.observe());
        Forms.row(grid, row++, "Passive health", observe, problems, "observe");
        CheckBox halfClose = new CheckBox("a FIN leaves the other direction open (proxy)");
        halfClose.setId(idPrefix + "-half_close");
        halfClose.selectedProperty().bindBidirectional(settings.halfClose());
        Forms.row(grid, row, "Half-close", halfClose, problems, "half_close");
        grid.getColumnConstraints().add(new javafx.scene.layout.ColumnConstraints(140));
        return grid;
    }

    private static TextField field(String id, String prompt, javafx.beans.property.StringProperty value) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.textProperty().bindBidirectional(value);
        return field;
    }

    /** Waiting now and the peak (proxy mode). */
    static String queue(Api.Pool pool) {
        Api.Queue q = pool.queue();
        return q == null ? "" : q.current() + " waiting (peak " + q.peak() + ")";
    }

    /** Slow start, passive health, persistence and half-close in words. */
    static String traffic(Api.Pool pool) {
        String slowStart = pool.slowStartS() > 0 ? "slow start " + pool.slowStartS() + " s" : "no slow start";
        String observe = pool.observe() ? "observes live traffic" : "active checks only";
        String persistence = pool.persistentByConstruction() ? "persistent by construction (maglev)"
                : pool.persistenceTimeoutS() > 0 ? "persistence " + pool.persistenceTimeoutS() + " s" : "no persistence";
        String halfClose = pool.halfCloses() ? "half-close" : "first FIN closes both";
        return slowStart + ", " + observe + ", " + persistence + ", " + halfClose;
    }

    private static String servers(Api.Pool pool) {
        long up = pool.servers().stream().filter(s -> s.health() != null && s.health().up()).count();
        return pool.servers().size() + " (" + up + " up)";
    }
}
