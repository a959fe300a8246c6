package io.convey.console.frontends;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.client.Api;
import io.convey.console.fx.FieldProblems;
import io.convey.console.fx.Fx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * What the selected frontend reads before it picks a pool, as the operator edits it: whether a PROXY protocol header
 * is required (and how long it may take), the SNI map (one {@code name = pool} per line), what non-TLS bytes do and
 * how long a ClientHello may take. FX thread only.
 */
public final class PreambleViewModel {
    /** {@code sni_mismatch}: the frontend's pool, or closing the connection. */
    public static final List<String> MISMATCH = List.of("default", "reject");

    private final ApplianceSession session;
    private final Consumer<Api.WriteResult> written;
    private final BooleanProperty acceptProxy = new SimpleBooleanProperty();
    private final StringProperty acceptProxyTimeoutMs = new SimpleStringProperty("");
    private final StringProperty sni = new SimpleStringProperty("");
    private final StringProperty sniMismatch = new SimpleStringProperty("default");
    private final StringProperty sniTimeoutMs = new SimpleStringProperty("");
    private final FieldProblems problems = new FieldProblems();
    private Api.Frontend shown;

    PreambleViewModel(ApplianceSession session, Consumer<Api.WriteResult> written) {
        this.session = session;
        this.written = written;
    }

    /** Shows a frontend's settings (null: none selected). */
    void fill(Api.Frontend frontend) {
        shown = frontend;
        problems.clear();
        if (frontend == null) {
            return;
        }
        acceptProxy.set(frontend.acceptProxy());
        acceptProxyTimeoutMs.set(String.valueOf(frontend.acceptProxyTimeoutMs()));
        sni.set(sniText(frontend.sni()));
        sniMismatch.set(frontend.sniMismatch() == null ? "default" : frontend.sniMismatch());
        sniTimeoutMs.set(String.valueOf(frontend.sniTimeoutMs()));
    }

    static boolean sameSettings(Api.Frontend a, Api.Frontend b) {
        return a.acceptProxy() == b.acceptProxy() && a.acceptProxyTimeoutMs() == b.acceptProxyTimeoutMs()
                && java.util.Objects.equals(a.sni(), b.sni()) && java.util.Objects.equals(a.sniMismatch(), b.sniMismatch())
                && a.sniTimeoutMs() == b.sniTimeoutMs();
    }

    /** One line for the table: "PROXY header · SNI 2 names · refused 3". */
    public static String summary(Api.Frontend f) {
        StringBuilder sb = new StringBuilder();
        if (f.acceptProxy()) {
            sb.append("PROXY header");
        }
        if (f.sni() != null && !f.sni().isEmpty()) {
            sb.append(sb.isEmpty() ? "" : " · ").append("SNI ").append(f.sni().size())
                    .append(f.sni().size() == 1 ? " name" : " names");
        }
        long refused = f.refused() == null ? 0 : f.refused().values().stream().mapToLong(Long::longValue).sum();
        if (refused > 0) {
            sb.append(sb.isEmpty() ? "" : " · ").append("refused ").append(refused);
        }
        return sb.isEmpty() ? "plain TCP" : sb.toString();
    }

    public BooleanProperty acceptProxy() {
        return acceptProxy;
    }

    public StringProperty acceptProxyTimeoutMs() {
        return acceptProxyTimeoutMs;
    }

    public StringProperty sni() {
        return sni;
    }

    public StringProperty sniMismatch() {
        return sniMismatch;
    }

    public StringProperty sniTimeoutMs() {
        return sniTimeoutMs;
    }

    public FieldProblems problems() {
        return problems;
    }

    /** Sends what differs from the shown frontend; problems go beside their fields. */
    public void apply() {
        Api.Frontend f = shown;
        if (f == null) {
            return;
        }
        problems.clear();
        Map<String, Object> change = new LinkedHashMap<>();
        if (acceptProxy.get() != f.acceptProxy()) {
            change.put("accept_proxy", acceptProxy.get());
        }
        number("accept_proxy_timeout_ms", acceptProxyTimeoutMs.get(), f.acceptProxyTimeoutMs(), change);
        number("sni_timeout_ms", sniTimeoutMs.get(), f.sniTimeoutMs(), change);
        if (sniMismatch.get() != null && !sniMismatch.get().equals(f.sniMismatch())) {
            change.put("sni_mismatch", sniMismatch.get());
        }
        Map<String, String> routes = parse(sni.get());
        if (routes == null) {
            return;
        }
        if (!routes.equals(f.sni() == null ? Map.of() : f.sni())) {
            change.put("sni", routes);
        }
        if (!problems.isEmpty() || change.isEmpty()) {
            return;
        }
        Fx.then(session.client().updateFrontend(f.name(), change), written, failure -> problems.show(failure,
                path -> path.startsWith("frontends." + f.name() + ".sni.") ? "sni"
                        : FieldProblems.lastSegment(java.util.Set.of("accept_proxy", "accept_proxy_timeout_ms", "sni",
                                "sni_mismatch", "sni_timeout_ms"), "frontends." + f.name()).apply(path)));
    }

    private void number(String field, String typed, long current, Map<String, Object> change) {
        String text = typed == null ? "" : typed.strip();
        if (text.isEmpty()) {
            return;
        }
        try {
            long value = Long.parseLong(text);
            if (value != current) {
                change.put(field, value);
            }
        } catch (NumberFormatException e) {
            problems.put(field, text + " (expected: an integer)");
        }
    }

    private Map<String, String> parse(String text) {
        Map<String, String> routes = new LinkedHashMap<>();
        for (String raw : (text == null ? "" : text).split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int at = line.indexOf('=');
            if (at < 1) {
                problems.put("sni", "\"" + line + "\" (expected: name = pool)");
                return null;
            }
            routes.put(unquote(line.substring(0, at)), unquote(line.substring(at + 1)));
        }
        return routes;
    }

    private static String unquote(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static String sniText(Map<String, String> sni) {
        StringBuilder sb = new StringBuilder();
        if (sni != null) {
            sni.forEach((name, pool) -> sb.append(name).append(" = ").append(pool).append('\n'));
        }
        return sb.toString().strip();
    }
}
