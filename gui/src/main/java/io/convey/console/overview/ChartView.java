package io.convey.console.overview;

import io.convey.console.appliance.TrafficHistory;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.beans.value.ObservableValue;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chart as an image, redrawn off the FX thread when the history changes or the view is resized.
 * At most one drawing per chart is in flight; changes meanwhile are folded into the next one.
 */
public final class ChartView extends StackPane {
    private static final Logger log = LoggerFactory.getLogger(ChartView.class);
    private static final ExecutorService DRAWING = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chart-drawing");
        t.setDaemon(true);
        return t;
    });
    private static final int HEIGHT = 230;

    private final ChartRenderer.Kind kind;
    private final TrafficHistory history;
    private final ObservableValue<String> scope;
    private final ImageView image = new ImageView();
    private final AtomicBoolean drawing = new AtomicBoolean();
    private boolean dirty;

    /** A chart of {@code history} for the scope {@code scope} names ("appliance", "pool/web", ...). */
    public ChartView(ChartRenderer.Kind kind, TrafficHistory history, ObservableValue<String> scope) {
        this.kind = kind;
        this.history = history;
        this.scope = scope;
        setMinHeight(HEIGHT);
        setPrefHeight(HEIGHT);
        setMinWidth(200);
        image.setId(kind.name().toLowerCase() + "Chart");
        getChildren().add(image);
        history.revision().addListener((o, was, now) -> redraw());
        scope.addListener((o, was, now) -> redraw());
        widthProperty().addListener((o, was, now) -> redraw());
    }

    /** Schedules a drawing; FX thread. */
    public void redraw() {
        int width = (int) getWidth();
        if (width < 50) {
            return;
        }
        if (!drawing.compareAndSet(false, true)) {
            dirty = true;
            return;
        }
        dirty = false;
        TrafficHistory.Snapshot data = history.snapshot(scope.getValue());
        DRAWING.execute(() -> {
            BufferedImage drawn = null;
            try {
                drawn = ChartRenderer.render(kind, data, Instant.now(), width, HEIGHT);
            } catch (RuntimeException e) {
                log.warn("chart not drawn chart={} error={}", kind, e.toString());
            }
            BufferedImage result = drawn;
            Platform.runLater(() -> {
                if (result != null) {
                    image.setImage(SwingFXUtils.toFXImage(result, null));
                }
                drawing.set(false);
                if (dirty) {
                    redraw();
                }
            });
        });
    }
}
