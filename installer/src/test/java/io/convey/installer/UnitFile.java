package io.convey.installer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code [Service]} section of a systemd unit, and the {@code setpriv} command line that starts its
 * ExecStart the way systemd would (user, group, capabilities, no new privileges) on a machine without systemd.
 */
record UnitFile(Map<String, String> service) {

    static UnitFile parse(String text) {
        Map<String, String> service = new LinkedHashMap<>();
        String section = "";
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
            } else if (section.equals("[Service]")) {
                int eq = line.indexOf('=');
                service.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new UnitFile(service);
    }

    String get(String key) {
        String value = service.get(key);
        if (value == null) {
            throw new AssertionError("unit has no " + key + "=: " + service);
        }
        return value;
    }

    /** Capability names as setpriv spells them: {@code CAP_NET_RAW} becomes {@code net_raw}. */
    static List<String> capabilities(String value) {
        return Arrays.stream(value.split("\\s+")).map(c -> c.toLowerCase(Locale.ROOT).replaceFirst("^cap_", "")).toList();
    }

    /** ExecStart (no quoting in our unit) behind setpriv with the unit's user, group and capability sets. */
    List<String> setprivCommand() {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid", get("User"), "--regid", get("Group"),
                "--init-groups", "--reset-env",
                "--inh-caps", plus(capabilities(get("AmbientCapabilities"))),
                "--ambient-caps", plus(capabilities(get("AmbientCapabilities"))),
                "--bounding-set", "-all," + plus(capabilities(get("CapabilityBoundingSet")))));
        if (get("NoNewPrivileges").equals("yes")) {
            command.add("--no-new-privs");
        }
        command.add("--");
        command.addAll(Arrays.asList(get("ExecStart").split("\\s+")));
        return command;
    }

    private static String plus(List<String> capabilities) {
        return String.join(",", capabilities.stream().map(c -> "+" + c).toList());
    }
}
