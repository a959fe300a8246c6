package io.convey.console.fx;

import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;

/** Form rows as the console lays them out: a label, the input and, beside it, the problem with that input. */
public final class Forms {
    private Forms() {
    }

    /** Adds {@code label, input, problem} as row {@code row}; the problem label's id is the input's id + "Problem". */
    public static void row(GridPane grid, int row, String label, Node input, FieldProblems problems, String field) {
        grid.addRow(row, new Label(label), input, problem(problems, field, input.getId() + "Problem"));
    }

    /** A red label showing the problem filed under {@code field}; it takes no room while empty. */
    public static Label problem(FieldProblems problems, String field, String id) {
        Label problem = new Label();
        problem.setId(id);
        problem.getStyleClass().add("error");
        problem.setWrapText(true);
        problem.setMaxWidth(360);
        problem.textProperty().bind(problems.of(field));
        problem.managedProperty().bind(Bindings.isNotEmpty(problem.textProperty()));
        problem.visibleProperty().bind(problem.managedProperty());
        return problem;
    }
}
