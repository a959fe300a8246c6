package io.convey.console.fx;

import io.convey.console.client.Api;
import io.convey.console.client.ApiException;
import java.util.Set;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;

/**
 * The problems of one form by field: each problem of an API answer is filed under the field its key path names
 * ({@code backends.web.rise} under {@code rise}), the rest under {@link #FORM}. FX thread only.
 */
public final class FieldProblems {
    /** The form as a whole: the answer's one-sentence error and problems no field claims. */
    public static final String FORM = "";

    private final ObservableMap<String, String> byField = FXCollections.observableHashMap();

    /** The problem shown next to {@code field}, or an empty string. */
    public StringBinding of(String field) {
        return Bindings.createStringBinding(() -> byField.getOrDefault(field, ""), byField);
    }

    public String get(String field) {
        return byField.getOrDefault(field, "");
    }

    public boolean isEmpty() {
        return byField.isEmpty();
    }

    public void clear() {
        byField.clear();
    }

    public void put(String field, String message) {
        byField.merge(field, message, (a, b) -> a + (field.equals(FORM) ? "\n" : "; ") + b);
    }

    /** Files a failed request's problems by field; {@code fieldOfPath} answers {@link #FORM} for paths it does not know. */
    public void show(Throwable failure, Function<String, String> fieldOfPath) {
        clear();
        if (!(Fx.unwrap(failure) instanceof ApiException api)) {
            put(FORM, Fx.describe(failure));
            return;
        }
        put(FORM, api.getMessage() == null ? "HTTP " + api.status() : api.getMessage());
        for (Api.Problem problem : api.problems()) {
            String field = problem.path() == null ? FORM : fieldOfPath.apply(problem.path());
            put(field, field.equals(FORM) ? problem.describe() : problem.message());
        }
    }

    /**
     * The usual mapping: a path ending in one of {@code fields} belongs to that field, a path equal to
     * {@code namePath} (the item being created or changed) or to {@code "name"} belongs to {@code "name"}.
     */
    public static Function<String, String> lastSegment(Set<String> fields, String namePath) {
        return path -> {
            if (path.equals(namePath) || path.equals("name")) {
                return "name";
            }
            String last = path.substring(path.lastIndexOf('.') + 1);
            return fields.contains(last) ? last : FORM;
        };
    }
}
