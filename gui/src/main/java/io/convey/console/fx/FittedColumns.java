package io.convey.console.fx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.collections.ListChangeListener;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * Widens each column of a table to its widest value (and its title), so that no value is cut to "…"; the table scrolls
 * sideways when they do not all fit. Measured over every row, not only the rows on screen, with the font the cells use.
 * FX thread only.
 */
public final class FittedColumns<S> {
    /** Cell padding and the gap around a graphic (a health light), as the default Modena cells draw them. */
    private static final double PADDING = 18;

    private final TableView<S> table;
    private final Map<TableColumn<S, ?>, Function<S, String>> texts = new HashMap<>();
    private final Map<TableColumn<S, ?>, Double> extras = new HashMap<>();

    private FittedColumns(TableView<S> table) {
        this.table = table;
    }

    /** Fits the columns of {@code table} whenever its rows change; columns are registered with {@link #text}. */
    public static <S> FittedColumns<S> of(TableView<S> table) {
        FittedColumns<S> fitted = new FittedColumns<>(table);
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.itemsProperty().addListener((o, was, now) -> fitted.fit());
        table.getItems().addListener((ListChangeListener<S>) c -> fitted.fit());
        return fitted;
    }

    /** Measures {@code column} by {@code text}, the text its cells show; {@code extra} pixels for a graphic. */
    public FittedColumns<S> text(TableColumn<S, ?> column, Function<S, String> text, double extra) {
        texts.put(column, text);
        extras.put(column, extra);
        return this;
    }

    public FittedColumns<S> text(TableColumn<S, ?> column, Function<S, String> text) {
        return text(column, text, 0);
    }

    /** Widens (never narrows, so columns do not jump with each re-read) each registered column to its widest text. */
    public void fit() {
        Text probe = new Text();
        probe.setFont(Font.font(Font.getDefault().getFamily(), 12));
        List<S> rows = List.copyOf(table.getItems());
        texts.forEach((column, text) -> {
            double widest = width(probe, column.getText()) + 12; // the header's sort arrow
            for (S row : rows) {
                widest = Math.max(widest, width(probe, text.apply(row)) + extras.get(column));
            }
            double wanted = Math.ceil(widest + PADDING);
            if (column.getPrefWidth() < wanted) {
                column.setPrefWidth(wanted);
            }
        });
    }

    private static double width(Text probe, String text) {
        probe.setText(text == null ? "" : text);
        return probe.getLayoutBounds().getWidth();
    }
}
