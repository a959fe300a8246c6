package io.convey.console.frontends;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.client.Api;
import io.convey.console.fx.FieldProblems;
import io.convey.console.fx.Forms;
import io.convey.console.fx.Fx;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/**
 * The selected frontend's traffic control: allow and deny prefixes (comma or space separated), the rate limit per
 * source with its burst, and the access log; only what changed is sent. FX thread only.
 */
final class TrafficForm extends VBox {
    private static final Set<String> FIELDS = Set.of("allow", "deny", "rate_limit", "rate_limit_burst", "access_log");

    private final StringProperty allow = new SimpleStringProperty("");
    private final StringProperty deny = new SimpleStringProperty("");
    private final StringProperty rateLimit = new SimpleStringProperty("");
    private final StringProperty burst = new SimpleStringProperty("");
    private final StringProperty accessLog = new SimpleStringProperty("");
    private final FieldProblems problems = new FieldProblems();

    TrafficForm(ApplianceSession session, ReadOnlyObjectProperty<Api.Frontend> selected, Consumer<Api.WriteResult> written) {
        super(6);
        setId("trafficForm");
        Label title = new Label();
        title.getStyleClass().add("subsection-title");
        title.textProperty().bind(Bindings.createStringBinding(() -> selected.get() == null
                ? "Traffic control" : "Traffic control of " + selected.get().name(), selected));
        GridPane grid = new GridPane(6, 4);
        Forms.row(grid, 0, "Allow", field("trafficAllow", "10.0.0.0/8, 2001:db8::/32 (empty: all)", allow), problems, "allow");
        Forms.row(grid, 1, "Deny", field("trafficDeny", "prefixes refused (wins over allow)", deny), problems, "deny");
        Forms.row(grid, 2, "New conn/s per source", field("trafficRateLimit", "0: off", rateLimit), problems, "rate_limit");
        Forms.row(grid, 3, "Burst", field("trafficBurst", "default: the rate", burst), problems, "rate_limit_burst");
        Forms.row(grid, 4, "Access log", field("trafficAccessLog", "off, stdout or /absolute/file", accessLog), problems,
                "access_log");
        Button apply = new Button("Apply traffic control");
        apply.setId("applyTraffic");
        apply.setOnAction(e -> apply(session, selected.get(), written));
        grid.disableProperty().bind(selected.isNull());
        apply.disableProperty().bind(selected.isNull());
        selected.addListener((o, was, now) -> {
            if (now != null && (was == null || !was.name().equals(now.name()))) {
                show(now);
            }
        });
        getChildren().addAll(title, grid, apply, Forms.problem(problems, FieldProblems.FORM, "trafficProblem"));
        setPrefWidth(460);
    }

    private void show(Api.Frontend frontend) {
        problems.clear();
        Api.TrafficSettings t = frontend.traffic();
        if (t == null) {
            return;
        }
        allow.set(String.join(", ", t.allow()));
        deny.set(String.join(", ", t.deny()));
        rateLimit.set(Integer.toString(t.rateLimit()));
        burst.set(t.rateLimit() == 0 ? "" : Integer.toString(t.rateLimitBurst()));
        accessLog.set(t.accessLog());
    }

    private void apply(ApplianceSession session, Api.Frontend frontend, Consumer<Api.WriteResult> written) {
        if (frontend == null || frontend.traffic() == null) {
            return;
        }
        problems.clear();
        Api.TrafficSettings t = frontend.traffic();
        Map<String, Object> change = new LinkedHashMap<>();
        List<String> allowed = prefixes(allow.get());
        List<String> denied = prefixes(deny.get());
        if (!allowed.equals(t.allow())) {
            change.put("allow", allowed);
        }
        if (!denied.equals(t.deny())) {
            change.put("deny", denied);
        }
        Long rate = number(rateLimit.get(), "rate_limit");
        Long burstValue = burst.get().isBlank() ? null : number(burst.get(), "rate_limit_burst");
        if (!problems.isEmpty()) {
            return;
        }
        if (rate != null && rate != t.rateLimit()) {
            change.put("rate_limit", rate);
        }
        if (burstValue != null && burstValue != t.rateLimitBurst()) {
            change.put("rate_limit_burst", burstValue);
        }
        String log = accessLog.get().strip().isEmpty() ? "off" : accessLog.get().strip();
        if (!log.equals(t.accessLog())) {
            change.put("access_log", log);
        }
        if (change.isEmpty()) {
            problems.put(FieldProblems.FORM, "nothing changed");
            return;
        }
        Fx.then(session.client().updateFrontendTraffic(frontend.name(), change), written::accept,
                failure -> problems.show(failure, FieldProblems.lastSegment(FIELDS, "frontends." + frontend.name())));
    }

    private Long number(String text, String field) {
        if (text.isBlank()) {
            return 0L;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            problems.put(field, text.strip() + " (expected: an integer)");
            return null;
        }
    }

    private static List<String> prefixes(String text) {
        return Arrays.stream(text.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static TextField field(String id, String prompt, StringProperty value) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.textProperty().bindBidirectional(value);
        return field;
    }
}
