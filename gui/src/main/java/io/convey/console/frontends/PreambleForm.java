package io.convey.console.frontends;

import io.convey.console.fx.FieldProblems;
import io.convey.console.fx.Forms;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/** The selected frontend's PROXY protocol and SNI routing settings, edited in place. */
final class PreambleForm extends VBox {

    PreambleForm(PreambleViewModel model) {
        super(6);
        setId("preambleForm");
        Label title = new Label("PROXY header and SNI routing");
        title.getStyleClass().add("subsection-title");
        FieldProblems problems = model.problems();
        GridPane grid = new GridPane(6, 4);
        CheckBox accept = new CheckBox("require a PROXY v1/v2 header");
        accept.setId("acceptProxy");
        accept.selectedProperty().bindBidirectional(model.acceptProxy());
        Forms.row(grid, 0, "Upstream balancer", accept, problems, "accept_proxy");
        Forms.row(grid, 1, "Header timeout (ms)", field("acceptProxyTimeout", model.acceptProxyTimeoutMs()), problems,
                "accept_proxy_timeout_ms");
        TextArea sni = new TextArea();
        sni.setId("sniMap");
        sni.setPromptText("a.example = pool_a\n*.example = pool_b");
        sni.setPrefRowCount(4);
        sni.setPrefColumnCount(26);
        sni.textProperty().bindBidirectional(model.sni());
        Forms.row(grid, 2, "SNI map", sni, problems, "sni");
        ComboBox<String> mismatch = new ComboBox<>();
        mismatch.setId("sniMismatch");
        mismatch.getItems().setAll(PreambleViewModel.MISMATCH);
        mismatch.valueProperty().bindBidirectional(model.sniMismatch());
        Forms.row(grid, 3, "Not TLS", mismatch, problems, "sni_mismatch");
        Forms.row(grid, 4, "ClientHello timeout (ms)", field("sniTimeout", model.sniTimeoutMs()), problems,
                "sni_timeout_ms");
        Button apply = new Button("Apply");
        apply.setId("applyPreamble");
        apply.setOnAction(e -> model.apply());
        getChildren().addAll(title, grid, apply, Forms.problem(problems, FieldProblems.FORM, "preambleProblem"));
        setPrefWidth(420);
    }

    private static TextField field(String id, javafx.beans.property.StringProperty value) {
        TextField field = new TextField();
        field.setId(id);
        field.setPrefColumnCount(8);
        field.textProperty().bindBidirectional(value);
        return field;
    }
}
