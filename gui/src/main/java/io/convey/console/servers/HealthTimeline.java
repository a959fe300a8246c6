package io.convey.console.servers;

import io.convey.console.client.Api;
import io.convey.console.fx.Format;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;

/** One server's health over the last hour: an up/down strip and the list of transitions with their reasons. */
public final class HealthTimeline extends VBox {
    private static final Duration SPAN = Duration.ofHours(1);
    private static final double STRIP_HEIGHT = 22;

    private final Label title = new Label("Health timeline: select a server");
    private final Canvas strip = new Canvas(400, STRIP_HEIGHT + 14);
    private final ListView<String> transitions = new ListView<>();
    private Api.Server server;

    public HealthTimeline() {
        setId("healthTimeline");
        setSpacing(6);
        title.getStyleClass().add("subsection-title");
        Pane holder = new Pane(strip);
        holder.setMinHeight(STRIP_HEIGHT + 14);
        strip.widthProperty().bind(holder.widthProperty());
        strip.widthProperty().addListener((o, was, now) -> draw());
        transitions.setId("healthTransitions");
        transitions.setPrefHeight(110);
        transitions.setPlaceholder(new Label("no transitions recorded"));
        getChildren().addAll(title, holder, transitions);
    }

    /** Shows this server (or nothing). */
    public void show(Api.Server shown) {
        this.server = shown;
        if (shown == null || shown.health() == null) {
            title.setText("Health timeline: select a server");
            transitions.getItems().clear();
        } else {
            title.setText("Health timeline of " + shown.name() + " (" + shown.addr() + "), last hour");
            transitions.getItems().setAll(history(shown).reversed().stream()
                    .map(h -> Format.dateTime(h.at()) + "  " + (h.up() ? "UP  " : "DOWN") + "  " + h.reason()).toList());
        }
        draw();
    }

    private static List<Api.HealthChange> history(Api.Server server) {
        List<Api.HealthChange> history = server.health().history();
        return history == null ? List.of()
                : history.stream().sorted(Comparator.comparing(Api.HealthChange::at)).toList();
    }

    private void draw() {
        GraphicsContext g = strip.getGraphicsContext2D();
        double width = strip.getWidth();
        g.clearRect(0, 0, width, strip.getHeight());
        if (server == null || server.health() == null || width <= 0) {
            return;
        }
        Instant end = Instant.now();
        Instant start = end.minus(SPAN);
        List<Api.HealthChange> history = history(server);
        // Before the first recorded transition the state is unknown (grey); after each one it holds until the next.
        Color current = Color.gray(0.8);
        Instant from = start;
        for (Api.HealthChange change : history) {
            if (change.at().isAfter(start)) {
                fill(g, start, end, from, change.at(), current, width);
                from = change.at();
            }
            current = change.up() ? Color.web("#43a047") : Color.web("#e53935");
        }
        if (history.isEmpty() && server.health().checked()) {
            current = server.health().up() ? Color.web("#43a047") : Color.web("#e53935");
        }
        fill(g, start, end, from, end, current, width);
        g.setFill(Color.gray(0.35));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText(Format.time(start), 2, STRIP_HEIGHT + 1);
        g.setTextAlign(TextAlignment.RIGHT);
        g.fillText("now", width - 2, STRIP_HEIGHT + 1);
    }

    private static void fill(GraphicsContext g, Instant start, Instant end, Instant from, Instant to, Color color,
            double width) {
        double span = Duration.between(start, end).toMillis();
        double x0 = Duration.between(start, from).toMillis() / span * width;
        double x1 = Duration.between(start, to).toMillis() / span * width;
        g.setFill(color);
        g.fillRect(x0, 0, Math.max(1, x1 - x0), STRIP_HEIGHT);
    }
}
