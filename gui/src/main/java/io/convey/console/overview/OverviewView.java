package io.convey.console.overview;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.client.Api;
import io.convey.console.client.ApplianceEvent;
import io.convey.console.fx.Format;
import java.util.stream.Collectors;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/** Mode, uptime, config version and file, the last reload with its problems, totals and the live charts. */
public final class OverviewView extends ScrollPane {
    private final ApplianceSession session;
    private final Label mode = value("mode");
    private final Label uptime = value("uptime");
    private final Label version = value("configVersion");
    private final Label file = value("configFile");
    private final Label totals = value("totals");
    private final Label stream = value("stream");
    private final Label reload = value("lastReload");
    private final Label rejected = value("lastRejected");

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
        facts.addRow(4, key("Last reload"), reload);
        GridPane.setColumnSpan(reload, 3);
        facts.addRow(5, key("Last rejected"), rejected);
        GridPane.setColumnSpan(rejected, 3);
        reload.setWrapText(true);
        rejected.setWrapText(true);

        ChartView traffic = new ChartView(ChartRenderer.Kind.TRAFFIC, session.traffic());
        ChartView connections = new ChartView(ChartRenderer.Kind.CONNECTIONS, session.traffic());
        Label legend = new Label("Markers: blue = config applied, red = server down, green = server up");
        legend.getStyleClass().add("hint");
        VBox content = new VBox(12, facts, traffic, connections, legend);
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
            totals.setText(t.currentConnections() + " active, " + t.totalConnections() + " connections, "
                    + Format.bytes(t.bytesRx()) + " rx, " + Format.bytes(t.bytesTx()) + " tx");
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
