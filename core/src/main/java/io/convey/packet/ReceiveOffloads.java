package io.convey.packet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The receive offloads of the capture interface that merge segments into frames larger than the MTU (GRO, LRO).
 * The data plane forwards such super-frames whole (with their vnet header) or segments them itself, so they need no
 * tuning; {@code [passthrough] manage_offloads = true} turns them off at start and back on at exit for an operator who
 * wants MTU-sized frames. Runs {@code ethtool}, optionally behind a command prefix (e.g. {@code ip netns exec <ns>}).
 */
public final class ReceiveOffloads {
    /** ethtool's feature names and the words {@code ethtool -K} takes for them. */
    private static final List<List<String>> MERGING = List.of(
            List.of("generic-receive-offload", "gro"), List.of("large-receive-offload", "lro"));

    private final List<String> commandPrefix;

    public ReceiveOffloads(List<String> commandPrefix) {
        this.commandPrefix = List.copyOf(commandPrefix);
    }

    /** Runs ethtool on this host directly. */
    public static ReceiveOffloads local() {
        return new ReceiveOffloads(List.of());
    }

    /** The merging offloads that are on and can be changed, as {@code ethtool -K} words ("gro", "lro"). */
    public List<String> enabled(String interfaceName) throws IOException {
        List<String> on = new ArrayList<>();
        List<String> lines = run(List.of("ethtool", "-k", interfaceName)).lines().map(String::strip).toList();
        for (List<String> feature : MERGING) {
            // "large-receive-offload: off [fixed]" cannot be changed; only an exact "on" counts
            if (lines.contains(feature.get(0) + ": on")) {
                on.add(feature.get(1));
            }
        }
        return List.copyOf(on);
    }

    /** Sets the given offloads ("gro", "lro") on or off. */
    public void set(String interfaceName, List<String> offloads, boolean on) throws IOException {
        if (offloads.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("ethtool", "-K", interfaceName));
        for (String offload : offloads) {
            command.add(offload);
            command.add(on ? "on" : "off");
        }
        run(command);
    }

    /** The command an operator would run to turn the offloads off. */
    public static String offCommand(String interfaceName, List<String> offloads) {
        return "ethtool -K " + interfaceName + offloads.stream().map(o -> " " + o + " off").reduce("", String::concat);
    }

    private String run(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = process.waitFor();
            if (code != 0) {
                throw new IOException(String.join(" ", args) + " exit status: " + code + " (expected: 0; "
                        + output.strip() + ")");
            }
            return output;
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException(args.getFirst() + " interrupted", e);
        }
    }
}
