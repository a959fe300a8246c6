package io.convey.console.editor;

import static io.convey.console.fx.Tables.column;

import io.convey.console.servers.ServersViewModel;
import io.convey.console.fx.Tables;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.MapChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.cell.ComboBoxTableCell;
import javafx.scene.control.cell.TextFieldTableCell;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The config text as editable tables: a pool's servers (addr, weight, state, add, remove) and the frontends. */
public final class ConfigFormView extends VBox {
    private final ConfigFormModel model;
    private final TableView<ConfigText.ServerRow> servers = new TableView<>();
    private final TableView<ConfigText.FrontendRow> frontends = new TableView<>();

    public ConfigFormView(ConfigFormModel model) {
        this.model = model;
        setId("configForm");
        setSpacing(6);
        setPadding(new Insets(8, 0, 0, 0));
        ComboBox<String> pools = new ComboBox<>(model.poolNames());
        pools.setId("formPool");
        pools.valueProperty().bindBidirectional(model.pool());
        Label message = new Label();
        message.setId("formMessage");
        message.getStyleClass().add("error");
        message.setWrapText(true);
        message.textProperty().bind(model.message());
        HBox top = new HBox(10, new Label("Pool"), pools, message);
        top.setAlignment(Pos.CENTER_LEFT);
        buildServers();
        buildFrontends();
        VBox.setVgrow(servers, Priority.ALWAYS);
        Label frontendsTitle = new Label("Frontends");
        frontendsTitle.getStyleClass().add("subsection-title");
        getChildren().addAll(top, servers, serverActions(), frontendsTitle, frontends);
        model.rowProblems().addListener((MapChangeListener<String, String>) c -> {
            servers.refresh();
            frontends.refresh();
        });
    }

    private void buildServers() {
        servers.setId("formServers");
        servers.setEditable(true);
        servers.setPlaceholder(new Label("no servers in this pool"));
        servers.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        servers.setItems(model.servers());
        servers.setMinHeight(120);
        TableColumn<ConfigText.ServerRow, String> addr = column("Address", ConfigText.ServerRow::addr);
        addr.setCellFactory(TextFieldTableCell.forTableColumn());
        addr.setOnEditCommit(e -> model.setServer(e.getRowValue().name(), "addr", e.getNewValue()));
        TableColumn<ConfigText.ServerRow, String> weight = column("Weight", ConfigText.ServerRow::weight);
        weight.setCellFactory(TextFieldTableCell.forTableColumn());
        weight.setOnEditCommit(e -> model.setServer(e.getRowValue().name(), "weight", e.getNewValue()));
        TableColumn<ConfigText.ServerRow, String> state = column("State", ConfigText.ServerRow::state);
        state.setCellFactory(ComboBoxTableCell.forTableColumn(
                javafx.collections.FXCollections.observableArrayList(ServersViewModel.STATES)));
        state.setOnEditCommit(e -> model.setServer(e.getRowValue().name(), "state", e.getNewValue()));
        TableColumn<ConfigText.ServerRow, String> problem = column("Problem",
                s -> model.rowProblems().getOrDefault(s.pool() + "/" + s.name(), ""));
        problem.setCellFactory(c -> Tables.problemCell());
        List.of(addr, weight, state).forEach(c -> c.setEditable(true));
        servers.getColumns().addAll(List.of(column("Name", ConfigText.ServerRow::name), addr, weight, state, problem));
        servers.getColumns().forEach(c -> c.setPrefWidth(switch (c.getText()) {
            case "Address" -> 180;
            case "Problem" -> 420;
            default -> 90;
        }));
    }

    private HBox serverActions() {
        Button remove = new Button("Remove server");
        remove.setId("formRemoveServer");
        remove.disableProperty().bind(servers.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(e -> model.removeServer(servers.getSelectionModel().getSelectedItem().name()));
        TextField name = prompt("formNewServerName", "name");
        TextField addr = prompt("formNewServerAddr", "ip:port");
        TextField weight = prompt("formNewServerWeight", "1");
        weight.setPrefColumnCount(5);
        Button add = new Button("Add server");
        add.setId("formAddServer");
        add.disableProperty().bind(Bindings.isEmpty(name.textProperty()).or(Bindings.isEmpty(addr.textProperty()))
                .or(model.pool().isNull()));
        add.setOnAction(e -> {
            model.addServer(name.getText(), addr.getText(), weight.getText());
            if (model.message().get().isEmpty()) {
                name.clear();
                addr.clear();
                weight.clear();
            }
        });
        HBox actions = new HBox(6, remove, new Label("   Add"), name, addr, weight, add);
        actions.setAlignment(Pos.CENTER_LEFT);
        return actions;
    }

    private void buildFrontends() {
        frontends.setId("formFrontends");
        frontends.setEditable(true);
        frontends.setPrefHeight(110);
        frontends.setMinHeight(90);
        frontends.setPlaceholder(new Label("no frontends"));
        frontends.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        frontends.setItems(model.frontends());
        TableColumn<ConfigText.FrontendRow, String> listen = column("Listen", ConfigText.FrontendRow::listenAddr);
        listen.setCellFactory(TextFieldTableCell.forTableColumn());
        listen.setOnEditCommit(e -> model.setFrontend(e.getRowValue().name(), "listen_addr", e.getNewValue()));
        TableColumn<ConfigText.FrontendRow, String> pool = column("Pool", ConfigText.FrontendRow::backend);
        pool.setCellFactory(ComboBoxTableCell.forTableColumn(model.poolNames()));
        pool.setOnEditCommit(e -> model.setFrontend(e.getRowValue().name(), "backend", e.getNewValue()));
        listen.setEditable(true);
        pool.setEditable(true);
        TableColumn<ConfigText.FrontendRow, String> problem = column("Problem",
                f -> model.rowProblems().getOrDefault(f.name(), ""));
        problem.setCellFactory(c -> Tables.problemCell());
        frontends.getColumns().addAll(List.of(column("Name", ConfigText.FrontendRow::name), listen, pool, problem));
        frontends.getColumns().forEach(c -> c.setPrefWidth(c.getText().equals("Problem") ? 420 : 140));
    }

    private static TextField prompt(String id, String prompt) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        return field;
    }
}
