package io.convey.console.editor;

import io.convey.console.client.Api;
import java.io.File;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * The config file as text or as a form over the same text: load, open, save, validate against the appliance,
 * push; problems under both.
 */
public final class ConfigEditorView extends VBox {
    private final ConfigEditorViewModel model;
    private final TextArea editor = new TextArea();
    private final TabPane views = new TabPane();

    public ConfigEditorView(ConfigEditorViewModel model, ConfigFormModel form) {
        this.model = model;
        setId("editor");
        setSpacing(8);
        setPadding(new Insets(10));

        Button load = button("Load running config", "loadConfig", e -> model.loadFromAppliance());
        Button open = button("Open file…", "openConfig", e -> {
            File chosen = chooser().showOpenDialog(getScene().getWindow());
            if (chosen != null) {
                model.open(chosen.toPath());
            }
        });
        Button save = button("Save file…", "saveConfig", e -> {
            File chosen = chooser().showSaveDialog(getScene().getWindow());
            if (chosen != null) {
                model.save(chosen.toPath());
            }
        });
        Button validate = button("Validate", "validateConfig", e -> model.validate());
        Button push = button("Push to appliance", "pushConfig", e -> model.push());
        Button rebase = button("Rebase on running version", "rebaseConfig", e -> model.rebase());
        // Validation needs the operator role, replacing the whole file the admin role; files on disk need neither.
        validate.disableProperty().bind(model.mayValidate().not());
        push.disableProperty().bind(model.mayEdit().not());
        Label base = new Label();
        base.setId("editorBase");
        base.textProperty().bind(Bindings.createStringBinding(() -> "based on version " + model.baseVersion().get()
                + (model.file().get() == null ? "" : " · " + model.file().get()), model.baseVersion(), model.file()));
        HBox toolbar = new HBox(6, load, open, save, validate, push, rebase, base);
        toolbar.setAlignment(Pos.CENTER_LEFT);

        Label message = new Label();
        message.setId("editorMessage");
        message.setWrapText(true);
        message.textProperty().bind(model.message());
        model.problems().addListener((javafx.collections.ListChangeListener<Api.Problem>) c -> {
            message.getStyleClass().remove("error");
            if (!model.problems().isEmpty()) {
                message.getStyleClass().add("error");
            }
        });

        editor.setId("configText");
        editor.getStyleClass().add("code");
        editor.textProperty().bindBidirectional(model.text());
        ListView<Api.Problem> problems = new ListView<>(model.problems());
        problems.setId("configProblems");
        problems.setPlaceholder(new Label("no problems"));
        problems.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Api.Problem problem, boolean empty) {
                super.updateItem(problem, empty);
                setText(empty || problem == null ? null : problem.describe());
                getStyleClass().remove("error");
                if (!empty) {
                    getStyleClass().add("error");
                }
            }
        });
        problems.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> goToLine(now));
        Tab textTab = new Tab("Text", editor);
        textTab.setId("editorTextTab");
        Tab formTab = new Tab("Form", new ConfigFormView(form));
        formTab.setId("editorFormTab");
        views.getTabs().addAll(textTab, formTab);
        views.setId("editorViews");
        views.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        SplitPane split = new SplitPane(views, problems);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.8);
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().addAll(toolbar, message, split);
    }

    /** Selects the line a problem points at, so the operator sees what caused it. */
    private void goToLine(Api.Problem problem) {
        if (problem == null || problem.line() == null || problem.line() <= 0) {
            return;
        }
        String text = editor.getText();
        int start = 0;
        for (int line = 1; line < problem.line() && start >= 0; line++) {
            start = text.indexOf('\n', start) + 1;
            if (start == 0) {
                return;
            }
        }
        int end = text.indexOf('\n', start);
        views.getSelectionModel().selectFirst();
        editor.selectRange(start, end < 0 ? text.length() : end);
        editor.requestFocus();
    }

    private static FileChooser chooser() {
        FileChooser chooser = new FileChooser();
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("TOML files", "*.toml"));
        return chooser;
    }

    private static Button button(String text, String id, javafx.event.EventHandler<javafx.event.ActionEvent> action) {
        Button button = new Button(text);
        button.setId(id);
        button.setOnAction(action);
        button.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return button;
    }
}
