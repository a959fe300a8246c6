package io.convey.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shipped monitoring files (docs/monitoring): every Grafana panel's and alert's PromQL expression. */
public final class MonitoringFiles {
    public static final Path DIR = Path.of("../docs/monitoring");
    public static final Path RULES = DIR.resolve("convey-alerts.yml");
    public static final Path DASHBOARD = DIR.resolve("convey-dashboard.json");
    private static final Pattern ALERT = Pattern.compile("^\\s*- alert: (\\S+)\\s*\\n\\s*expr: (.+)$", Pattern.MULTILINE);
    private static final Pattern COMPARISON = Pattern.compile("(==|!=|>=|<=|>|<)(?!\\s*bool)");

    private MonitoringFiles() {}

    /** Each panel's targets, "panel title / refId" to the expression with the dashboard's variables filled in. */
    public static Map<String, String> panelExpressions(String job) throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.get("expr").asText().replace("$job", job).replace("$instance", ".*")
                        .replace("$__rate_interval", "1m");
                out.put(panel.get("title").asText() + " / " + target.get("refId").asText(), expr);
            }
        }
        return out;
    }

    /**
     * Each alert's expression with its comparisons made {@code bool} ones, so that it returns its series whether or
     * not it fires ({@code x == 0} becomes {@code x == bool 0}); label matchers are left alone.
     */
    public static Map<String, String> alertExpressions() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ALERT.matcher(Files.readString(RULES));
        while (m.find()) {
            out.put(m.group(1), boolComparisons(m.group(2).strip()));
        }
        return out;
    }

    static String boolComparisons(String expr) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        List<String> outside = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (char c : expr.toCharArray()) {
            if (c == '{' && depth++ == 0) {
                outside.add(part.toString());
                part.setLength(0);
            }
            if (depth > 0) {
                out.append(c);
            } else {
                part.append(c);
            }
            if (c == '}' && --depth == 0) {
                String matchers = out.toString();
                out.setLength(0);
                outside.add("\u0000" + matchers);
            }
        }
        outside.add(part.toString());
        StringBuilder result = new StringBuilder();
        for (String piece : outside) {
            result.append(piece.startsWith("\u0000") ? piece.substring(1)
                    : COMPARISON.matcher(piece).replaceAll("$1 bool"));
        }
        return result.toString();
    }
}
