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
 * answer captured segments, and receive offloads (GRO, LRO) off on the capture interface. Each is checked; what is
 * missing is printed as the exact command, or, where the operator lets the daemon manage it
 * ({@code manage_firewall}, {@code manage_offloads}), set up and undone at exit. Called by the engine's single
 * writer (start, state changes, close).
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

    /** Takes the operator's choices; checks (and maybe turns off) the capture interface's offloads. */
    void start(String iface, boolean manageFirewall, boolean manageOffloads) {
        this.manageFirewall = manageFirewall;
        this.interfaceName = iface;
        checkReceiveOffloads(iface, manageOffloads);
    }

    /**
     * The data plane forwards MTU-sized frames: with GRO or LRO on, the kernel hands the capture merged frames that
     * are too big to send. They are turned off (and back on at exit) if the operator lets the daemon manage them;
     * otherwise the operator is told the exact command instead of finding a drop count.
     */
    private void checkReceiveOffloads(String iface, boolean manage) {
        try {
            List<String> on = offloads.enabled(iface);
            if (on.isEmpty()) {
                return;
            }
            if (manage) {
                offloads.set(iface, on, false);
                offloadsTurnedOff = on;
                log.info("receive offloads turned off: interface={} offloads={} (turned on again at exit)", iface, on);
            } else {
                log.warn("receive offloads {} are on for {}: merged frames larger than the MTU are dropped (too_big); "
                        + "turn them off with: {} (or set [passthrough] manage_offloads = true)", on, iface,
                        ReceiveOffloads.offCommand(iface, on));
            }
        } catch (IOException e) {
            log.warn("cannot check receive offloads of {} ({}); make sure GRO/LRO are off", iface, e.getMessage());
        }
    }

    /** Checks the rules the frontends need; installs the missing ones if managed, else prints them. */
    void checkFirewall(List<PassthroughFrontend> frontends) {
        List<FirewallSetup.Rule> rules = FirewallSetup.rulesFor(frontends);
        try {
            List<FirewallSetup.Rule> missing = firewall.missing(rules);
            if (missing.isEmpty()) {
                return;
            }
            if (manageFirewall) {
                firewall.install(missing);
                List<FirewallSetup.Rule> all = new ArrayList<>(installedRules);
                all.addAll(missing);
                installedRules = List.copyOf(all);
                log.info("firewall rules installed count={}", missing.size());
            } else {
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
