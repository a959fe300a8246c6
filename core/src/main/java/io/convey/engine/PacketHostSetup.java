package io.convey.engine;

import io.convey.packet.FirewallSetup;
import io.convey.packet.PassthroughFrontend;
import io.convey.packet.ReceiveOffloads;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the packet modes need from the host besides the data plane: raw-table rules so that the kernel does not
 * answer captured segments. They are checked; what is missing is printed as the exact command, or, where the
 * operator lets the daemon manage it ({@code manage_firewall}), set up and undone at exit. Receive offloads need no
 * tuning (the data plane forwards super-frames whole or segments them); {@code manage_offloads} still turns GRO/LRO
 * off on the capture interface and on again at exit, for an operator who wants MTU-sized frames. Called by the
 * engine's single writer (start, state changes, close).
 */
final class PacketHostSetup {
    private static final Logger log = LoggerFactory.getLogger(PacketHostSetup.class);

    private final FirewallSetup firewall;
    private final ReceiveOffloads offloads;
    private boolean manageFirewall;
    private List<FirewallSetup.Rule> installedRules = List.of();
    private String interfaceName;
    private List<String> offloadsTurnedOff = List.of();

    PacketHostSetup(FirewallSetup firewall, ReceiveOffloads offloads) {
        this.firewall = firewall;
        this.offloads = offloads;
    }

    /** Takes the operator's choices; turns the capture interface's merging offloads off if asked to. */
    void start(String iface, boolean manageFirewall, boolean manageOffloads) {
        this.manageFirewall = manageFirewall;
        this.interfaceName = iface;
        if (manageOffloads) {
            turnOffReceiveOffloads(iface);
        }
    }

    /**
     * GRO/LRO merge segments into super-frames, which the data plane forwards whole (or segments where it sends
     * without a vnet header): nothing breaks with them on. An operator may still want MTU-sized frames.
     */
    private void turnOffReceiveOffloads(String iface) {
        try {
            List<String> on = offloads.enabled(iface);
            if (!on.isEmpty()) {
                offloads.set(iface, on, false);
                offloadsTurnedOff = on;
                log.info("receive offloads turned off: interface={} offloads={} (manage_offloads; turned on again at "
                        + "exit)", iface, on);
            }
        } catch (IOException e) {
            log.warn("cannot turn receive offloads off on {} ({}); they are not needed off", iface, e.getMessage());
        }
    }

    /**
     * Checks the rules the frontends need; if managed, installs the missing ones and removes those it installed that
     * are needed no more, else prints the missing ones.
     */
    void checkFirewall(List<PassthroughFrontend> frontends) {
        List<FirewallSetup.Rule> rules = FirewallSetup.rulesFor(frontends);
        try {
            List<FirewallSetup.Rule> missing = firewall.missing(rules);
            if (manageFirewall) {
                // new rules first, then the ones this daemon installed that no frontend needs any more (a frontend
                // removed, or a VIP's ports now grouped in one rule): no moment without a rule for a running frontend
                firewall.install(missing);
                List<FirewallSetup.Rule> stale = installedRules.stream().filter(r -> !rules.contains(r)).toList();
                firewall.remove(stale);
                List<FirewallSetup.Rule> all = new ArrayList<>(installedRules);
                all.removeAll(stale);
                all.addAll(missing);
                installedRules = List.copyOf(all);
                if (!missing.isEmpty() || !stale.isEmpty()) {
                    log.info("firewall rules changed installed={} removed={} reason=\"frontends changed\"",
                            missing.size(), stale.size());
                }
            } else if (!missing.isEmpty()) {
                log.warn("the kernel will answer captured packets with resets; add these rules (or set "
                        + "[passthrough] manage_firewall = true):\n{}", FirewallSetup.report(missing));
            }
        } catch (IOException e) {
            log.warn("cannot check firewall rules ({}: {})", e.getClass().getSimpleName(), e.getMessage());
        }
    }

    /** Undoes what was set up: offloads on again, installed rules removed. */
    void undo() {
        if (!offloadsTurnedOff.isEmpty()) {
            try {
                offloads.set(interfaceName, offloadsTurnedOff, true);
                log.info("receive offloads turned on again: interface={} offloads={}", interfaceName, offloadsTurnedOff);
            } catch (IOException e) {
                log.warn("cannot turn receive offloads on again ({}): {}", interfaceName, e.getMessage());
            }
            offloadsTurnedOff = List.of();
        }
        if (!installedRules.isEmpty()) {
            try {
                firewall.remove(installedRules);
                log.info("firewall rules removed count={}", installedRules.size());
            } catch (IOException e) {
                log.warn("cannot remove firewall rules ({})", e.getMessage());
            }
            installedRules = List.of();
        }
    }
}
