package io.convey.console.servers;

import static io.convey.console.fx.Tables.column;

import io.convey.console.client.Api;
import io.convey.console.fx.FittedColumns;
import io.convey.console.fx.Format;
import io.convey.console.fx.Tables;
import io.convey.console.fx.UdpText;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.MapChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.cell.TextFieldTableCell;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;

/** The servers of a pool: a sortable, filterable table with in-place weights, state actions, add and what-if. */
public final class ServersView extends VBox {
    private final ServersViewModel model;
    private final TableView<Api.Server> table = new TableView<>();
    private final ObservableList<Api.Server> shown = FXCollections.observableArrayList();
    private final TextField filter = new TextField();
    private final TextField maxConnections = new TextField();
    private final HealthTimeline timeline = new HealthTimeline();

    public ServersView(ServersViewModel model) {
        this.model = model;
        setId("servers");
        setSpacing(8);
        setPadding(new Insets(10));

        ComboBox<String> pools = new ComboBox<>(model.poolNames());
        pools.setId("poolChoice");
        pools.valueProperty().bindBidirectional(model.pool());
        Label poolInfo = new Label();
        poolInfo.setId("poolInfo");
        poolInfo.textProperty().bind(Bindings.createStringBinding(() -> describe(model.selectedPool().get()),
                model.selectedPool()));
        filter.setId("serverFilter");
        filter.setPromptText("Filter (Ctrl+F)");
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox top = new HBox(10, new Label("Pool"), pools, poolInfo, gap, filter);
        top.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        buildTable();
        VBox.setVgrow(table, Priority.ALWAYS);

        Label message = new Label();
        message.setId("serverMessage");
        message.textProperty().bind(model.message());
        message.getStyleClass().add("status-line");
        HBox actions = new HBox(6, stateButton("Enable", "enabled"), stateButton("Drain", "drain"),
                stateButton("Disable", "disabled"), removeButton(), maxConnectionsField(), maxConnectionsButton(), message);
        actions.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        AddServerForm add = new AddServerForm(model);
        WhatIfForm whatIf = new WhatIfForm(model, this::selected);
        add.setId("addServerForm");
        whatIf.setId("whatIfForm");
        add.disableProperty().bind(model.mayEdit().not());
        whatIf.disableProperty().bind(model.mayEdit().not());
        HBox lower = new HBox(16, add, whatIf, timeline);
        HBox.setHgrow(timeline, Priority.ALWAYS);
        getChildren().addAll(top, table, actions, lower);
    }

    private void buildTable() {
        table.setId("serverTable");
        table.editableProperty().bind(model.mayEdit());
        table.setPlaceholder(new Label("no servers"));
        FilteredList<Api.Server> filtered = new FilteredList<>(shown);
        filtered.predicateProperty().bind(Bindings.createObjectBinding(() -> {
            String text = filter.getText() == null ? "" : filter.getText().strip().toLowerCase(Locale.ROOT);
            return server -> text.isEmpty() || (server.name() + " " + server.addr() + " " + server.state() + " "
                    + health(server)).toLowerCase(Locale.ROOT).contains(text);
        }, filter.textProperty()));
        SortedList<Api.Server> sorted = new SortedList<>(filtered);
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);

        TableColumn<Api.Server, String> healthColumn = column("Health", ServersView::health);
        healthColumn.setCellFactory(c -> new HealthCell());
        TableColumn<Api.Server, String> weight = column("Weight", s -> String.valueOf(s.weight()));
        weight.setId("weightColumn");
        weight.setEditable(true);
        weight.setCellFactory(TextFieldTableCell.forTableColumn());
        weight.setOnEditCommit(e -> model.setWeight(e.getRowValue().name(), e.getNewValue()));
        weight.setComparator((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        TableColumn<Api.Server, String> maxConnections = column("Max conn", ServersView::maxConnectionsText);
        maxConnections.setId("maxConnectionsColumn");
        TableColumn<Api.Server, String> ramp = column("Slots, ramp", ServersView::slotsAndRamp);
        ramp.setId("rampColumn");
        // tx (client → server) before rx (server → client), as docs/api.md defines them
        TableColumn<Api.Server, Api.Server> bytes = column("Bytes tx / rx", server -> server);
        bytes.setComparator(java.util.Comparator.comparingLong(server -> server.bytesTx() + server.bytesRx()));
        bytes.setCellFactory(c -> textCell(ServersView::bytesText));
        TableColumn<Api.Server, Number> share = column("Share", Api.Server::expectedShare);
        share.setCellFactory(c -> formatted(v -> Format.percent(v.doubleValue())));
        TableColumn<Api.Server, Number> latency = column("Latency",
                s -> s.health() == null || s.health().latencyMs() == null ? -1.0 : s.health().latencyMs());
        latency.setCellFactory(c -> formatted(v -> v.doubleValue() < 0 ? "" : String.format("%.1f ms", v.doubleValue())));
        latency.setComparator(java.util.Comparator.comparingDouble(Number::doubleValue));
        TableColumn<Api.Server, String> problem = column("Problem", s -> model.rowProblems().getOrDefault(s.name(), ""));
        problem.setId("problemColumn");
        problem.setCellFactory(c -> Tables.problemCell());
        TableColumn<Api.Server, String> name = column("Name", Api.Server::name);
        TableColumn<Api.Server, String> address = column("Address", Api.Server::addr);
        TableColumn<Api.Server, String> state = column("State", Api.Server::state);
        TableColumn<Api.Server, Long> active = column("Active", Api.Server::activeConnections);
        TableColumn<Api.Server, Long> total = column("Total", Api.Server::totalConnections);
        TableColumn<Api.Server, String> lastError = column("Last error", ServersView::lastError);
        TableColumn<Api.Server, Integer> flaps = column("Flaps/h", s -> s.health() == null ? 0 : s.health().flapsLastHour());
        TableColumn<Api.Server, String> datagrams = column("Datagrams tx / rx", s -> UdpText.datagrams(s.udp()));
        BusyServerColumns busy = new BusyServerColumns();
        table.getColumns().addAll(java.util.List.of(healthColumn, name, address, weight, state, share, maxConnections,
                ramp, active, busy.peak(), total, bytes, datagrams, busy.errors(), busy.inState(), busy.downtime(), latency, lastError, flaps, problem));
        FittedColumns<Api.Server> fitted = FittedColumns.of(table)
                .text(healthColumn, s -> health(s).toUpperCase(Locale.ROOT), 16).text(name, Api.Server::name)
                .text(address, Api.Server::addr).text(weight, s -> String.valueOf(s.weight())).text(state, Api.Server::state)
                .text(share, s -> Format.percent(s.expectedShare()))
                .text(maxConnections, ServersView::maxConnectionsText).text(ramp, ServersView::slotsAndRamp)
                .text(active, s -> String.valueOf(s.activeConnections()))
                .text(total, s -> String.valueOf(s.totalConnections())).text(bytes, ServersView::bytesText)
                .text(datagrams, s -> UdpText.datagrams(s.udp()))
                .text(latency, ServersView::latencyText).text(lastError, ServersView::lastError)
                .text(flaps, s -> String.valueOf(s.health() == null ? 0 : s.health().flapsLastHour()))
                .text(problem, s -> model.rowProblems().getOrDefault(s.name(), ""));
        busy.measure(fitted);
        problem.setPrefWidth(220);
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(Api.Server server, boolean empty) {
                super.updateItem(server, empty);
                getStyleClass().remove("server-down");
                if (!empty && server != null && "down".equals(health(server))) {
                    getStyleClass().add("server-down");
                }
            }
        });

        // Re-reads replace the rows; wait while a cell is being edited so the operator's typing is not lost.
        model.servers().addListener((ListChangeListener<Api.Server>) c -> showRows());
        model.rowProblems().addListener((MapChangeListener<String, String>) c -> {
            fitted.fit();
            table.refresh();
        });
        table.editingCellProperty().addListener((o, was, now) -> showRows());
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> timeline.show(now));
        showRows();
    }

    private void showRows() {
        if (table.getEditingCell() != null) {
            return;
        }
        String selectedName = selected() == null ? null : selected().name();
        shown.setAll(model.servers());
        if (selectedName != null) {
            table.getItems().stream().filter(s -> s.name().equals(selectedName)).findFirst()
                    .ifPresent(s -> table.getSelectionModel().select(s));
        }
        timeline.show(selected());
    }

    private Api.Server selected() {
        return table.getSelectionModel().getSelectedItem();
    }

    /** Ctrl+F. */
    public void focusFilter() {
        filter.requestFocus();
        filter.selectAll();
    }

    private static String maxConnectionsText(Api.Server server) {
        return server.maxConnections() == 0 ? "none" : String.valueOf(server.maxConnections());
    }

    /** Slots in use of the limit, and the slow-start ramp while it lasts. */
    static String slotsAndRamp(Api.Server server) {
        String slots = server.slotsInUse() + (server.maxConnections() > 0 ? " / " + server.maxConnections() : "");
        return server.eligible() && server.rampPercent() < 100 ? slots + ", slow start " + server.rampPercent() + "% (weight "
                + String.format(java.util.Locale.ROOT, "%.2f", server.effectiveWeight()) + ")" : slots;
    }

    private TextField maxConnectionsField() {
        maxConnections.setId("maxConnections");
        maxConnections.setPromptText("max connections");
        maxConnections.setPrefColumnCount(8);
        maxConnections.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull()
                .or(model.mayEdit().not()));
        return maxConnections;
    }

    /** Sets the selected server's max_connections (0 = no limit) to the typed number. */
    private Button maxConnectionsButton() {
        Button button = new Button("Set limit");
        button.setId("setMaxConnections");
        button.disableProperty().bind(maxConnections.disableProperty().or(maxConnections.textProperty().isEmpty()));
        button.setOnAction(e -> model.setMaxConnections(selected().name(), maxConnections.getText()));
        return button;
    }

    private Button stateButton(String text, String state) {
        Button button = new Button(text);
        button.setId(state + "Server");
        button.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull().or(model.mayEdit().not()));
        button.setOnAction(e -> model.setState(selected().name(), state));
        return button;
    }

    private Button removeButton() {
        Button button = new Button("Remove");
        button.setId("removeServer");
        button.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull().or(model.mayEdit().not()));
        button.setOnAction(e -> model.remove(selected().name()));
        return button;
    }

    static String health(Api.Server server) {
        if (server.health() == null || !server.health().checked()) {
            return "unchecked";
        }
        return server.health().up() ? "up" : "down";
    }

    private static String describe(Api.Pool pool) {
        if (pool == null) {
            return "";
        }
        return pool.algorithm() + " · checks every " + pool.healthCheckIntervalMs() + " ms (timeout "
                + pool.healthCheckTimeoutMs() + " ms, rise " + pool.rise() + ", fall " + pool.fall() + ")";
    }

    static String bytesText(Api.Server server) {
        return Format.bytes(server.bytesTx()) + " / " + Format.bytes(server.bytesRx());
    }

    private static String latencyText(Api.Server s) {
        return s.health() == null || s.health().latencyMs() == null ? "" : String.format("%.1f ms", s.health().latencyMs());
    }

    private static String lastError(Api.Server s) {
        return s.health() == null || s.health().lastError() == null ? "" : s.health().lastError();
    }

    /** A cell showing {@code text} of its row. */
    static <T> TableCell<Api.Server, T> textCell(Function<Api.Server, String> text) {
        return new TableCell<>() {
            @Override
            protected void updateItem(T value, boolean empty) {
                super.updateItem(value, empty);
                Api.Server server = getTableRow() == null ? null : getTableRow().getItem();
                setText(empty || server == null ? null : text.apply(server));
            }
        };
    }

    private static TableCell<Api.Server, Number> formatted(Function<Number, String> format) {
        return new TableCell<>() {
            @Override
            protected void updateItem(Number value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty || value == null ? null : format.apply(value));
            }
        };
    }

    /** Health by colour and by word. */
    private static final class HealthCell extends TableCell<Api.Server, String> {
        @Override
        protected void updateItem(String health, boolean empty) {
            super.updateItem(health, empty);
            if (empty || health == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            setText(health.toUpperCase(Locale.ROOT));
            Circle light = new Circle(5, switch (health) {
                case "up" -> Color.web("#2e9d4a");
                case "down" -> Color.web("#c62828");
                default -> Color.gray(0.7);
            });
            setGraphic(light);
        }
    }

}
