package io.convey.packet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    /** The most ports one multiport match takes (the kernel's {@code XT_MULTI_PORTS}). */
    static final int MULTIPORT_MAX = 15;

    /**
     * The rules the frontends need: their VIP:port, and for passthrough the servers' replies to the ephemeral ports
     * of the address flows leave from, the VIP or {@link PassthroughFrontend#source} (DSR servers answer the clients
     * directly). Ports of one address (a VIP's frontends; one server's ports towards one source) share a rule through
     * the multiport match, up to {@link #MULTIPORT_MAX} a rule: every captured packet also walks the raw chain, rule
     * by rule, so rules per frontend made a frontend's packets the dearer the later it came in the file (measured:
     * 0.3 µs more per passthrough connection for the third of three frontends, eight rules, than for the first).
     */
    public static List<Rule> rulesFor(List<PassthroughFrontend> frontends) {
        record Vip(boolean ipv6, String protocol, String vip) {}
        record Replies(boolean ipv6, String protocol, String server, String source) {}
        Map<Vip, Set<Integer>> vips = new LinkedHashMap<>();
        Map<Replies, Set<Integer>> replies = new LinkedHashMap<>();
        for (PassthroughFrontend f : frontends) {
            String protocol = f.transport().word();
            vips.computeIfAbsent(new Vip(f.isIpv6(), protocol, f.vipHost()), k -> new LinkedHashSet<>()).add(f.port());
            for (ServerRef s : f.delivery().isDsr() ? List.<ServerRef>of() : f.servers()) {
                replies.computeIfAbsent(new Replies(f.isIpv6(), protocol, s.host(), f.sourceHost()),
                        k -> new LinkedHashSet<>()).add(s.port());
            }
        }
        List<Rule> rules = new ArrayList<>();
        for (boolean ipv6 : new boolean[] {false, true}) { // iptables' rules, then ip6tables'
            vips.forEach((v, ports) -> {
                for (String match : v.ipv6() == ipv6 ? portMatches("--dport", "--dports", ports) : List.<String>of()) {
                    rules.add(new Rule(ipv6, specOf("-p", v.protocol(), "-d", v.vip(), match, "-j", "DROP")));
                }
            });
            replies.forEach((r, ports) -> {
                for (String match : r.ipv6() == ipv6 ? portMatches("--sport", "--sports", ports) : List.<String>of()) {
                    // a multiport match after the --dport of -p's match: its own options would take that --dport
                    boolean multi = match.startsWith("-m");
                    rules.add(new Rule(ipv6, specOf("-p", r.protocol(), "-s", r.server(), multi ? "" : match, "-d",
                            r.source(), "--dport", PortAllocator.FIRST + ":" + PortAllocator.LAST, multi ? match : "",
                            "-j", "DROP")));
                }
            });
        }
        return List.copyOf(rules);
    }

    /** One port as {@code --dport N}, several as {@code -m multiport --dports a,b,...}, at most 15 a match. */
    private static List<String> portMatches(String single, String multiple, Set<Integer> ports) {
        if (ports.size() == 1) {
            return List.of(single + " " + ports.iterator().next());
        }
        List<Integer> all = List.copyOf(ports);
        List<String> matches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += MULTIPORT_MAX) {
            List<Integer> chunk = all.subList(i, Math.min(all.size(), i + MULTIPORT_MAX));
            matches.add(chunk.size() == 1 ? single + " " + chunk.getFirst() : "-m multiport " + multiple + " "
                    + chunk.stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        return matches;
    }

    /** Arguments, each element split at its spaces, empty ones left out. */
    private static List<String> specOf(String... parts) {
        return Arrays.stream(parts).filter(p -> !p.isEmpty()).flatMap(p -> Arrays.stream(p.split(" "))).toList();
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
