package io.convey.console.fleet;

import static io.convey.console.fx.Tables.column;

import io.convey.console.client.Api;
import io.convey.console.fx.Format;
import java.util.List;
import java.util.stream.Collectors;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The fleet: a summary line, one row per member (drifting rows marked), and the servers members disagree about. */
public final class FleetView extends VBox {
    public FleetView(FleetViewModel model) {
        super(8);
        setId("fleet");
        setPadding(new Insets(10));
        Label summary = new Label();
        summary.setId("fleetSummary");
        summary.textProperty().bind(model.summary());
        Label problem = new Label();
        problem.setId("fleetProblem");
        problem.getStyleClass().add("error");
        problem.setWrapText(true);
        problem.textProperty().bind(model.problem());

        TableView<Api.FleetMember> members = new TableView<>(model.members());
        members.setId("fleetTable");
        members.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        members.getColumns().addAll(List.of(column("Member", Api.FleetMember::member),
                column("Revision", Api.FleetMember::revision), column("Source", Api.FleetMember::source),
                column("Mode", Api.FleetMember::mode), column("Uptime", m -> Format.duration(m.uptimeS())),
                column("Connections", m -> m.totals().connections()), column("State", FleetViewModel::state)));
        double[] widths = {120, 70, 60, 60, 80, 90};
        for (int i = 0; i < widths.length; i++) {
            members.getColumns().get(i).setPrefWidth(widths[i]);
        }
        members.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(Api.FleetMember member, boolean empty) {
                super.updateItem(member, empty);
                getStyleClass().remove("drift");
                if (!empty && member != null && member.drift()) {
                    getStyleClass().add("drift");
                }
            }
        });

        TableView<Api.Disagreement> disagreements = new TableView<>(model.disagreements());
        disagreements.setId("fleetDisagreements");
        disagreements.setPlaceholder(new Label("The members agree about the health of every server."));
        disagreements.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        disagreements.getColumns().addAll(List.of(column("Server", Api.Disagreement::server),
                column("Health seen by each member", d -> d.health().entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")))));
        disagreements.setPrefHeight(140);
        Label title = new Label("Where members disagree about a server");
        title.getStyleClass().add("section-title");
        getChildren().addAll(summary, problem, members, title, disagreements);
        VBox.setVgrow(members, Priority.ALWAYS);
    }
}
