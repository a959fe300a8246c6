package io.convey.console.overview;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.appliance.TrafficHistory;
import io.convey.console.client.Api;
import io.convey.console.client.ApplianceEvent;
import io.convey.console.fx.Format;
import java.util.List;
import java.util.stream.Collectors;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/**
 * Mode, uptime, config version and file, totals, the data plane (transport, or capture, flows and drops), the last
 * reload with its problems, availability (maintenance with its switch, VRRP, VIPs, BGP), and the live charts of the
 * scope the operator picks (appliance, a frontend, a pool or a server) with what changed when.
 */
public final class OverviewView extends ScrollPane {
    private final ApplianceSession session;
    private final Label mode = value("mode");
    private final Label uptime = value("uptime");
    private final Label version = value("configVersion");
    private final Label file = value("configFile");
    private final Label totals = value("totals");
    private final Label dataPlane = value("dataPlane");
    private final Label stream = value("stream");
    private final Label reload = value("lastReload");
    private final Label rejected = value("lastRejected");
    private final Label maintenance = value("maintenance");
    private final Label vrrp = value("vrrpState");
    private final Label vips = value("vipStates");
    private final Label bgp = value("bgpSessions");
    private final Label maintenanceMessage = value("maintenanceMessage");

    public OverviewView(ApplianceSession session) {
        this.session = session;
        setId("overview");
        setFitToWidth(true);

        GridPane facts = new GridPane(14, 4);
        facts.addRow(0, key("Mode"), mode, key("Uptime"), uptime);
        facts.addRow(1, key("Config version"), version, key("Live updates"), stream);
        facts.addRow(2, key("Config file"), file);
        GridPane.setColumnSpan(file, 3);
        facts.addRow(3, key("Totals"), totals);
        GridPane.setColumnSpan(totals, 3);
        facts.addRow(4, key("Data plane"), dataPlane);
        GridPane.setColumnSpan(dataPlane, 3);
        dataPlane.setWrapText(true);
        facts.addRow(5, key("Last reload"), reload);
        GridPane.setColumnSpan(reload, 3);
        facts.addRow(6, key("Last rejected"), rejected);
        GridPane.setColumnSpan(rejected, 3);
        reload.setWrapText(true);
        rejected.setWrapText(true);
        AvailabilityViewModel availability = new AvailabilityViewModel(session);
        Button toggle = new Button();
        toggle.setId("maintenanceToggle");
        toggle.textProperty().bind(availability.maintenance().map(on -> on ? "End maintenance" : "Start maintenance"));
        toggle.disableProperty().bind(availability.maySwitch().not().or(availability.busy()));
        toggle.setOnAction(e -> availability.switchMaintenance(!availability.maintenance().get()));
        maintenance.textProperty().bind(availability.maintenance().map(on -> on ? "MAINTENANCE (VIPs withdrawn or draining)" : "in service"));
        maintenanceMessage.textProperty().bind(availability.message());
        maintenanceMessage.getStyleClass().add("error");
        HBox maintenanceRow = new HBox(8, maintenance, toggle, maintenanceMessage);
        maintenanceRow.setAlignment(Pos.CENTER_LEFT);
        vrrp.textProperty().bind(availability.vrrp());
        vips.textProperty().bind(availability.vips());
        bgp.textProperty().bind(availability.bgp());
        facts.addRow(7, key("Maintenance"), maintenanceRow);
        GridPane.setColumnSpan(maintenanceRow, 3);
        facts.addRow(8, key("VRRP"), vrrp, key("BGP sessions"), bgp);
        facts.addRow(9, key("VIPs"), vips);
        GridPane.setColumnSpan(vips, 3);

        ComboBox<String> scope = new ComboBox<>(session.traffic().scopes());
        scope.setId("chartScope");
        scope.setValue(TrafficHistory.APPLIANCE);
        scope.setVisibleRowCount(16);
        HBox scopeRow = new HBox(8, key("Charts for"), scope);
        scopeRow.setAlignment(Pos.CENTER_LEFT);
        ChartView traffic = new ChartView(ChartRenderer.Kind.TRAFFIC, session.traffic(), scope.valueProperty());
        ChartView connections = new ChartView(ChartRenderer.Kind.CONNECTIONS, session.traffic(), scope.valueProperty());
        Label legend = new Label("Markers: blue = config applied, red = server down, green = server up; "
                + "what changed, newest first:");
        legend.getStyleClass().add("hint");
        ListView<TrafficHistory.Marker> changes = markerList(scope.valueProperty());
        VBox content = new VBox(12, facts, scopeRow, traffic, connections, legend, changes);
        content.setPadding(new Insets(12));
        setContent(content);

        session.status().addListener((o, was, now) -> show(now));
        session.lastRejected().addListener((o, was, now) -> showRejected(now));
        session.connected().addListener((o, was, now) -> showStream());
        session.streaming().addListener((o, was, now) -> showStream());
        show(session.status().get());
        showRejected(session.lastRejected().get());
        showStream();
    }

    /** The markers of the charts in full, newest first: what the short labels on the charts stand for. */
    private ListView<TrafficHistory.Marker> markerList(ObservableValue<String> scope) {
        ListView<TrafficHistory.Marker> list = new ListView<>();
        list.setId("chartMarkers");
        list.setPrefHeight(130);
        list.setPlaceholder(new Label("no config or health changes in these 15 minutes"));
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(TrafficHistory.Marker marker, boolean empty) {
                super.updateItem(marker, empty);
                getStyleClass().removeAll("marker-config", "marker-down", "marker-up");
                setText(empty || marker == null ? null : Format.time(marker.at()) + "   " + marker.detail());
                if (!empty && marker != null) {
                    getStyleClass().add(switch (marker.kind()) {
                        case CONFIG -> "marker-config";
                        case SERVER_DOWN -> "marker-down";
                        case SERVER_UP -> "marker-up";
                    });
                }
            }
        });
        Runnable update = () -> {
            // newest first, as the caption says, whatever order the history and the stream reported them in
            List<TrafficHistory.Marker> markers = session.traffic().snapshot(scope.getValue()).markers().stream()
                    .sorted(java.util.Comparator.comparing(TrafficHistory.Marker::at).reversed()).toList();
            if (!list.getItems().equals(markers)) {
                list.getItems().setAll(markers);
            }
        };
        session.traffic().revision().addListener((o, was, now) -> update.run());
        scope.addListener((o, was, now) -> update.run());
        update.run();
        return list;
    }

    private void show(Api.Status status) {
        if (status == null) {
            return;
        }
        mode.setText(status.mode());
        uptime.setText(Format.duration(status.uptimeS()) + " (since " + Format.dateTime(status.startedAt()) + ")");
        version.setText(String.valueOf(status.configVersion()));
        file.setText(status.configFile());
        Api.Counters t = status.totals();
        if (t != null) {
            totals.setText(t.currentConnections() + " active, " + t.totalConnections() + " connections, bytes tx "
                    + Format.bytes(t.bytesTx()) + " (client → server), rx " + Format.bytes(t.bytesRx()) + " (server → client)");
        }
        dataPlane.setText(DataPlaneText.describe(status.dataPlane()));
        dataPlane.getStyleClass().remove("error");
        if (DataPlaneText.losing(status.dataPlane())) {
            dataPlane.getStyleClass().add("error");
        }
        Api.Reload r = status.lastReload();
        if (r != null) {
            String head = Format.dateTime(r.at()) + " from " + r.source() + ": " + (r.ok() ? "applied" : "rejected")
                    + (r.version() > 0 ? ", version " + r.version() : "");
            reload.setText(r.problems() == null || r.problems().isEmpty() ? head
                    : head + "\n" + r.problems().stream().map(Api.Problem::describe).collect(Collectors.joining("\n")));
            reload.getStyleClass().remove("error");
            if (!r.ok()) {
                reload.getStyleClass().add("error");
            }
        }
    }

    private void showRejected(ApplianceEvent.ConfigRejected event) {
        rejected.getStyleClass().remove("error");
        if (event != null) {
            rejected.getStyleClass().add("error");
        }
        rejected.setText(event == null ? "none since this window opened" : Format.dateTime(event.at()) + " from "
                + event.source() + "\n" + event.problems().stream().map(Api.Problem::describe)
                        .collect(Collectors.joining("\n")));
    }

    private void showStream() {
        stream.setText(!session.streaming().get() ? "paused (window hidden)"
                : session.connected().get() ? "connected" : "connecting…");
    }

    private static Label key(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("key");
        return label;
    }

    private static Label value(String id) {
        Label label = new Label("…");
        label.setId(id);
        return label;
    }
}
