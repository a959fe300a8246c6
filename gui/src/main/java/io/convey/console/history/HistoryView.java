package io.convey.console.history;

import static io.convey.console.fx.Tables.column;

import io.convey.console.client.Api;
import io.convey.console.fx.FittedColumns;
import io.convey.console.fx.Format;
import java.util.List;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Config versions newest first; the selected one's file and its diff to the running one; rollback. */
public final class HistoryView extends SplitPane {
    public HistoryView(HistoryViewModel model) {
        setId("history");
        TableView<Api.HistoryEntry> table = new TableView<>(model.entries());
        table.setId("historyTable");
        TableColumn<Api.HistoryEntry, Long> version = column("Version", Api.HistoryEntry::configVersion);
        TableColumn<Api.HistoryEntry, String> when = column("When", e -> Format.dateTime(e.at()));
        TableColumn<Api.HistoryEntry, String> source = column("Source", Api.HistoryEntry::source);
        TableColumn<Api.HistoryEntry, String> by = column("By", e -> e.by() == null ? "" : e.by());
        TableColumn<Api.HistoryEntry, String> summary = column("Summary", Api.HistoryEntry::summary);
        table.getColumns().addAll(List.of(version, when, source, by, summary));
        // a summary says what changed ("b removed; a weight 5 → 1"): shown whole, the table scrolls sideways instead
        FittedColumns.of(table).text(version, e -> String.valueOf(e.configVersion()))
                .text(when, e -> Format.dateTime(e.at())).text(source, Api.HistoryEntry::source)
                .text(by, e -> e.by() == null ? "" : e.by()).text(summary, Api.HistoryEntry::summary).fit();
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> model.select(now));

        Button rollback = new Button("Roll back to the selected version");
        rollback.setId("rollback");
        rollback.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull().or(model.mayEdit().not()));
        rollback.setOnAction(e -> model.rollback(table.getSelectionModel().getSelectedItem()));
        Label message = new Label();
        message.setId("historyMessage");
        message.setWrapText(true);
        message.textProperty().bind(model.message());
        VBox left = new VBox(8, table, new HBox(8, rollback), message);
        left.setPadding(new Insets(10));
        VBox.setVgrow(table, Priority.ALWAYS);

        TextArea diff = text("historyDiff", model.diff().getValue());
        diff.textProperty().bind(model.diff());
        TextArea file = text("historyText", "");
        file.textProperty().bind(model.text());
        TabPane right = new TabPane(new Tab("Diff to running", diff), new Tab("File", file));
        right.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        getItems().addAll(left, right);
        setDividerPositions(0.55);
    }

    private static TextArea text(String id, String initial) {
        TextArea area = new TextArea(initial);
        area.setId(id);
        area.setEditable(false);
        area.getStyleClass().add("code");
        return area;
    }
}
