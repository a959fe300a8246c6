package io.convey.console.frontends;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.client.Api;
import io.convey.console.fx.Format;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The frontends (listeners): where they listen, which pool they feed and their counters. */
public final class FrontendsView extends VBox {
    public FrontendsView(ApplianceSession session) {
        setId("frontends");
        setSpacing(8);
        setPadding(new Insets(10));
        TableView<Api.Frontend> table = new TableView<>();
        table.setId("frontendTable");
        table.setPlaceholder(new Label("no frontends"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        SortedList<Api.Frontend> sorted = new SortedList<>(session.frontends());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        table.getColumns().addAll(List.of(column("Name", Api.Frontend::name), column("Listen", Api.Frontend::listenAddr),
                column("Bound", Api.Frontend::boundAddr), column("Pool", Api.Frontend::backend),
                column("Active", f -> f.counters().currentConnections()),
                column("Total", f -> f.counters().totalConnections()),
                column("Bytes rx", f -> Format.bytes(f.counters().bytesRx())),
                column("Bytes tx", f -> Format.bytes(f.counters().bytesTx()))));
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(table);
    }

    private static <T> TableColumn<Api.Frontend, T> column(String title, Function<Api.Frontend, T> value) {
        TableColumn<Api.Frontend, T> column = new TableColumn<>(title);
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(value.apply(c.getValue())));
        return column;
    }
}
