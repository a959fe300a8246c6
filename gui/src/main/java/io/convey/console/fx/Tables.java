package io.convey.console.fx;

import java.util.Objects;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.StringProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/** Columns and cells the screens share, and tables over lists re-read every few seconds (selection kept by name). */
public final class Tables {
    private Tables() {
    }

    /**
     * Shows {@code rows} sorted by the table's columns and keeps the row named {@code selected} selected across
     * re-reads. While a re-read replaces the rows the table may select another row for a moment; that is not the
     * operator's choice and does not change {@code selected} (so forms filled from it keep what was typed).
     * Relies on list listeners being called in the order they were added. FX thread only.
     */
    public static <T> void bind(TableView<T> table, ObservableList<T> rows, Function<T, String> nameOf,
            StringProperty selected) {
        boolean[] replacing = {false};
        rows.addListener((ListChangeListener<T>) c -> replacing[0] = true); // before the table hears of it
        SortedList<T> sorted = new SortedList<>(rows);
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        Runnable reselect = () -> {
            T shown = table.getSelectionModel().getSelectedItem();
            String name = selected.get();
            if (name != null && (shown == null || !nameOf.apply(shown).equals(name))) {
                sorted.stream().filter(row -> nameOf.apply(row).equals(name)).findFirst()
                        .ifPresent(row -> table.getSelectionModel().select(row));
            }
        };
        rows.addListener((ListChangeListener<T>) c -> { // after the table has its new rows
            replacing[0] = false;
            reselect.run();
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null && !replacing[0] && !Objects.equals(nameOf.apply(now), selected.get())) {
                selected.set(nameOf.apply(now));
            }
        });
        selected.addListener((o, was, now) -> reselect.run());
    }

    /** A read-only column showing {@code value} of each row. */
    public static <S, T> TableColumn<S, T> column(String title, Function<S, T> value) {
        TableColumn<S, T> column = new TableColumn<>(title);
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(value.apply(c.getValue())));
        column.setEditable(false);
        return column;
    }

    /** A cell showing the error of the last command on its row, in red. */
    public static <S> TableCell<S, String> problemCell() {
        TableCell<S, String> cell = new TableCell<>() {
            @Override
            protected void updateItem(String problem, boolean empty) {
                super.updateItem(problem, empty);
                setText(empty ? null : problem);
            }
        };
        cell.getStyleClass().add("error");
        return cell;
    }
}
