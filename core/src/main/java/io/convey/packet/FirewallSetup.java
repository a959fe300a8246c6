package io.convey.packet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host setup passthrough needs: raw-table DROP rules so the kernel does not answer captured segments with RSTs
 * (or UDP datagrams with ICMP port unreachable)
 * (the capture still sees them, packet taps run before netfilter). Checks which rules are missing and, when the
 * operator lets Convey manage the firewall, installs or removes them. Runs {@code iptables}, or {@code ip6tables}
 * for IPv6 frontends, optionally behind a command prefix (e.g. {@code ip netns exec <ns>} or {@code sudo}).
 */
public final class FirewallSetup {
    private static final Logger log = LoggerFactory.getLogger(FirewallSetup.class);

    /** One raw PREROUTING rule, as iptables (or, for IPv6, ip6tables) arguments after the chain name. */
    public record Rule(boolean ipv6, List<String> spec) {
        public Rule {
            spec = List.copyOf(spec);
        }

        /** An IPv4 rule. */
        public Rule(List<String> spec) {
            this(false, spec);
        }

        /** The tool that manages the rule. */
        public String tool() {
            return ipv6 ? "ip6tables" : "iptables";
        }

        /** The command an operator would run to add the rule. */
        public String addCommand() {
            return tool() + " -t raw -A PREROUTING " + String.join(" ", spec);
        }
    }

    private final List<String> commandPrefix;

    public FirewallSetup(List<String> commandPrefix) {
        this.commandPrefix = List.copyOf(commandPrefix);
    }

    /** Runs iptables on this host directly. */
    public static FirewallSetup local() {
        return new FirewallSetup(List.of());
    }

    /**
     * The rules the frontends need: their VIP:port, and for passthrough the servers' replies to the ephemeral ports
     * of the address flows leave from, the VIP or {@link PassthroughFrontend#source} (DSR servers answer the clients
     * directly).
     */
    public static List<Rule> rulesFor(List<PassthroughFrontend> frontends) {
        Set<Rule> rules = new LinkedHashSet<>();
        for (PassthroughFrontend f : frontends) {
            String vip = f.vipHost();
            boolean ipv6 = f.isIpv6();
            String protocol = f.transport().word();
            rules.add(new Rule(ipv6, List.of("-p", protocol, "-d", vip, "--dport", Integer.toString(f.port()), "-j",
                    "DROP")));
            for (ServerRef s : f.delivery().isDsr() ? List.<ServerRef>of() : f.servers()) {
                rules.add(new Rule(ipv6, List.of("-p", protocol, "-s", s.host(), "--sport", Integer.toString(s.port()),
                        "-d", f.sourceHost(), "--dport", PortAllocator.FIRST + ":" + PortAllocator.LAST, "-j", "DROP")));
            }
        }
        return List.copyOf(rules);
    }

    /** Returns the rules that are not installed ({@code iptables -C} exits 1 for those, as does ip6tables). */
    public List<Rule> missing(List<Rule> rules) throws IOException {
        List<Rule> missing = new ArrayList<>();
        for (Rule rule : rules) {
            if (!present(rule)) {
                missing.add(rule);
            }
        }
        return missing;
    }

    /** Describes missing rules as the exact commands that would add them, one a line. */
    public static String report(List<Rule> missing) {
        return missing.stream().map(Rule::addCommand).collect(Collectors.joining("\n"));
    }

    /** Adds the rules that are missing. */
    public void install(List<Rule> rules) throws IOException {
        for (Rule rule : missing(rules)) {
            run("-A", rule);
            log.info("firewall rule added: {}", rule.addCommand());
        }
    }

    /** Deletes the rules that are present. */
    public void remove(List<Rule> rules) throws IOException {
        for (Rule rule : rules) {
            if (present(rule)) {
                run("-D", rule);
                log.info("firewall rule removed: {}", rule.addCommand());
            }
        }
    }

    private boolean present(Rule rule) throws IOException {
        int code = exec("-C", rule);
        if (code > 1) {
            throw new IOException(rule.tool() + " -C exit status: " + code + " (expected: 0 or 1)");
        }
        return code == 0;
    }

    private void run(String action, Rule rule) throws IOException {
        int code = exec(action, rule);
        if (code != 0) {
            throw new IOException(rule.tool() + " " + action + " exit status: " + code + " (expected: 0) for "
                    + rule.spec());
        }
    }

    private int exec(String action, Rule rule) throws IOException {
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(List.of(rule.tool(), "-w", "5", "-t", "raw", action, "PREROUTING"));
        command.addAll(rule.spec());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int code = process.waitFor();
            if (code > 1 && !output.isEmpty()) {
                log.warn("{} failed: status={} output={}", rule.tool(), code, output);
            }
            return code;
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException(rule.tool() + " interrupted", e);
        }
    }
}
