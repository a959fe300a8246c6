package io.convey.console.servers;

import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** Adds a server to the selected pool, with a probe from the appliance first if the operator wants one. */
final class AddServerForm extends VBox {
    AddServerForm(ServersViewModel model) {
        setSpacing(6);
        setPrefWidth(300);
        Label title = new Label("Add a server");
        title.getStyleClass().add("subsection-title");
        TextField name = new TextField();
        name.setId("newServerName");
        name.setPromptText("name");
        TextField addr = new TextField();
        addr.setId("newServerAddr");
        addr.setPromptText("ip:port");
        TextField weight = new TextField();
        weight.setId("newServerWeight");
        weight.setPromptText("1");
        GridPane grid = new GridPane(6, 6);
        grid.addRow(0, new Label("Name"), name);
        grid.addRow(1, new Label("Address"), addr);
        grid.addRow(2, new Label("Weight"), weight);

        Button probe = new Button("Probe");
        probe.setId("probeServer");
        probe.disableProperty().bind(addr.textProperty().isEmpty());
        probe.setOnAction(e -> model.probe(addr.getText()));
        Button add = new Button("Add");
        add.setId("addServer");
        add.disableProperty().bind(name.textProperty().isEmpty().or(addr.textProperty().isEmpty()));
        add.setOnAction(e -> model.add(name.getText(), addr.getText(), weight.getText()));

        Label probeResult = new Label();
        probeResult.setId("probeResult");
        probeResult.setWrapText(true);
        probeResult.textProperty().bind(model.probeResult());
        Label problem = new Label();
        problem.setId("addProblem");
        problem.getStyleClass().add("error");
        problem.setWrapText(true);
        problem.textProperty().bind(model.addProblem());
        problem.managedProperty().bind(Bindings.isNotEmpty(model.addProblem()));
        getChildren().addAll(title, grid, new HBox(6, probe, add), probeResult, problem);
    }
}
