package io.convey.console.servers;

import io.convey.console.client.Api;
import java.util.function.Supplier;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/** What-if: the traffic shares if the selected server had another weight or state; nothing is applied. */
final class WhatIfForm extends VBox {
    WhatIfForm(ServersViewModel model, Supplier<Api.Server> selected) {
        setSpacing(6);
        setPrefWidth(260);
        Label title = new Label("What-if share preview");
        title.getStyleClass().add("subsection-title");
        TextField weight = new TextField();
        weight.setId("whatIfWeight");
        weight.setPromptText("new weight");
        ComboBox<String> state = new ComboBox<>();
        state.getItems().addAll(ServersViewModel.STATES);
        state.setPromptText("state");
        GridPane grid = new GridPane(6, 6);
        grid.addRow(0, new Label("Weight"), weight);
        grid.addRow(1, new Label("State"), state);
        Label result = new Label();
        result.setId("whatIfResult");
        result.setWrapText(true);
        result.textProperty().bind(model.previewResult());
        Button preview = new Button("Preview selected server");
        preview.setId("whatIfPreview");
        preview.setOnAction(e -> {
            Api.Server server = selected.get();
            if (server != null) {
                model.preview(server.name(), weight.getText(), state.getValue());
            }
        });
        getChildren().addAll(title, grid, preview, result);
    }
}
