package io.convey.console.fx;

import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** In-window notifications stacked at the top of the window, each dismissed on its own; FX thread only. */
public final class Banner extends VBox {
    private static final int MAX_SHOWN = 4;
    private final ObservableList<String> messages = FXCollections.observableArrayList();

    public Banner() {
        setId("banner");
        setSpacing(2);
        messages.addListener((ListChangeListener<String>) change -> rebuild());
    }

    /** Shows one more notification (the oldest goes once more than four are shown). */
    public void notify(String message) {
        messages.addFirst(message);
        if (messages.size() > MAX_SHOWN) {
            messages.removeLast();
        }
    }

    public ObservableList<String> messages() {
        return messages;
    }

    private void rebuild() {
        getChildren().clear();
        for (String message : messages) {
            Label text = new Label(message);
            text.getStyleClass().add("banner-text");
            text.setWrapText(true);
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            Button dismiss = new Button("Dismiss");
            dismiss.setOnAction(e -> messages.remove(message));
            HBox row = new HBox(10, text, gap, dismiss);
            row.setAlignment(Pos.CENTER_LEFT);
            row.setPadding(new Insets(6, 10, 6, 10));
            row.getStyleClass().add("banner");
            getChildren().add(row);
        }
    }
}
