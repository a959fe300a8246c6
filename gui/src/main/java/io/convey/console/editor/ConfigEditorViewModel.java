package io.convey.console.editor;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.client.Api;
import io.convey.console.client.Role;
import io.convey.console.client.ApiException;
import io.convey.console.fx.Fx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * A whole config file edited as text, from the appliance or from disk (offline), validated by the appliance and
 * pushed with {@code If-Match} on the version it was based on. FX thread only; file I/O and HTTP run elsewhere.
 */
public final class ConfigEditorViewModel {
    private final ApplianceSession session;
    private final StringProperty text = new SimpleStringProperty("");
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyLongWrapper baseVersion = new ReadOnlyLongWrapper(-1);
    private final ObservableList<Api.Problem> problems = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    public ConfigEditorViewModel(ApplianceSession session) {
        this.session = session;
    }

    /** True while the console's role may use this screen's {@code admin} commands. */
    public BooleanBinding mayEdit() {
        return session.allows(Role.ADMIN);
    }

    /** True while the console's role may have a file validated by the appliance. */
    public BooleanBinding mayValidate() {
        return session.allows(Role.OPERATOR);
    }

    public StringProperty text() {
        return text;
    }

    /** The file on disk the text came from or was saved to, if any. */
    public ReadOnlyObjectProperty<Path> file() {
        return file.getReadOnlyProperty();
    }

    /** The appliance's config version the text is based on; a push is refused (412) if it moved on. */
    public ReadOnlyLongProperty baseVersion() {
        return baseVersion.getReadOnlyProperty();
    }

    public ObservableList<Api.Problem> problems() {
        return problems;
    }

    public ReadOnlyStringProperty message() {
        return message.getReadOnlyProperty();
    }

    public void loadFromAppliance() {
        Fx.then(session.client().configToml(), versioned -> {
            text.set(versioned.value());
            baseVersion.set(versioned.version());
            file.set(null);
            problems.clear();
            message.set("loaded the running config (version " + versioned.version() + ")");
        }, failure -> message.set(Fx.describe(failure)));
    }

    /** Opens a TOML file from disk; it is based on the appliance's current version. */
    public void open(Path path) {
        Fx.then(CompletableFuture.supplyAsync(() -> read(path)), content -> {
            text.set(content);
            file.set(path);
            baseVersion.set(session.configVersion().get());
            problems.clear();
            message.set("opened " + path);
        }, failure -> message.set("cannot read " + path + " (" + Fx.describe(failure) + ")"));
    }

    public void save(Path path) {
        String content = text.get();
        Fx.then(CompletableFuture.runAsync(() -> write(path, content)), done -> {
            file.set(path);
            message.set("saved " + path);
        }, failure -> message.set("cannot save " + path + " (" + Fx.describe(failure) + ")"));
    }

    public void validate() {
        Fx.then(session.client().validate(text.get()), result -> {
            problems.setAll(result.problems() == null ? List.of() : result.problems());
            message.set(result.valid() ? "valid" + (problems.isEmpty() ? "" : " (with warnings)")
                    : problems.size() + (problems.size() == 1 ? " problem" : " problems"));
        }, this::failed);
    }

    public void push() {
        long base = baseVersion.get() >= 0 ? baseVersion.get() : session.configVersion().get();
        Fx.then(session.client().putConfig(text.get(), base), result -> {
            problems.clear();
            baseVersion.set(result.configVersion());
            message.set("pushed: now config version " + result.configVersion());
            session.written(result);
        }, this::failed);
    }

    /** After a conflict: take the appliance's current version as the base (the operator's text wins). */
    public void rebase() {
        baseVersion.set(session.configVersion().get());
        message.set("based on version " + baseVersion.get() + " now; push again to replace it");
    }

    private void failed(Throwable failure) {
        if (Fx.unwrap(failure) instanceof ApiException api) {
            problems.setAll(api.problems());
            message.set(api.conflict() ? "conflict: the appliance's config changed after version " + baseVersion.get()
                    + " (now " + session.configVersion().get() + "); load it again, or rebase to overwrite it"
                    : api.getMessage());
            if (api.conflict()) {
                session.refresh();
            }
        } else {
            message.set(Fx.describe(failure));
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new CompletionException(e);
        }
    }

    private static void write(Path path, String content) {
        try {
            Files.writeString(path, content, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new CompletionException(e);
        }
    }
}
