package io.convey.announce;

import io.convey.config.ConveyConfig;
import io.convey.config.VrrpConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The keepalived configuration for one appliance of a VRRP pair ({@code convey --print-keepalived}): the VIPs as
 * the instance's virtual addresses, a {@code vrrp_script} that asks the daemon's {@code /health} whether it should
 * hold them (it answers 503 in maintenance and when no VIP has an eligible server), and the notify FIFO through
 * which keepalived tells the daemon its state. keepalived does the VRRP; Convey only reports and records.
 */
public final class KeepalivedSetup {
    private KeepalivedSetup() {}

    /**
     * The whole file; throws {@link IllegalArgumentException} without a {@code [vrrp]} section or a VIP.
     *
     * @param adminCertificate the admin listener's certificate when it speaks HTTPS; empty for plain HTTP
     */
    public static String config(ConveyConfig config, InetSocketAddress admin, Optional<Path> adminCertificate) {
        VrrpConfig vrrp = config.announce().vrrp()
                .orElseThrow(() -> new IllegalArgumentException("vrrp: missing (expected: a [vrrp] section)"));
        List<InetAddress> vips = List.copyOf(Vips.of(config).keySet());
        if (vips.isEmpty()) {
            throw new IllegalArgumentException("frontends: no VIP (expected: a frontend listen_addr on a specific,"
                    + " non-loopback address)");
        }
        String host = admin.getAddress().isAnyLocalAddress() ? "127.0.0.1" : Vips.text(admin.getAddress());
        // Over HTTPS the check trusts exactly the admin listener's certificate, as an operator's curl would.
        String url = (adminCertificate.isPresent() ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host)
                + ":" + admin.getPort() + "/health";
        String curl = "/usr/bin/curl -fsS -o /dev/null --max-time 1" + adminCertificate.map(c -> " --cacert " + c).orElse("")
                + " " + url;
        String instance = "convey_" + vrrp.virtualRouterId();
        StringBuilder out = new StringBuilder();
        out.append("""
                # keepalived configuration for this Convey appliance (convey --print-keepalived); install as
                # /etc/keepalived/keepalived.conf on both appliances of the pair (each with its own [vrrp]
                # priority and peers) and reload keepalived after each change.
                global_defs {
                  router_id %s
                  script_user root
                  enable_script_security
                  # keepalived writes each state change here ("INSTANCE "%s" MASTER 150"); Convey records it.
                  vrrp_notify_fifo %s
                }

                # The daemon answers 200 while it should hold the VIPs, 503 in maintenance or without any
                # eligible server; no answer (daemon dead) fails too. Failing drops this appliance to FAULT,
                # and the partner takes the VIPs.
                vrrp_script convey_health {
                  script "%s"
                  interval 1
                  timeout 2
                  fall 2
                  rise 2
                }

                vrrp_instance %s {
                  state BACKUP
                  interface %s
                  virtual_router_id %d
                  priority %d
                  advert_int %d
                """.formatted(instance, instance, vrrp.notifyFifo(), curl, instance, vrrp.interfaceName(),
                vrrp.virtualRouterId(), vrrp.priority(), vrrp.advertInterval().toSeconds()));
        if (!vrrp.peers().isEmpty()) {
            out.append("  unicast_peer {\n");
            vrrp.peers().forEach(p -> out.append("    ").append(Vips.text(p)).append('\n'));
            out.append("  }\n");
        }
        vrrp.authPass().ifPresent(pass -> out.append("  authentication {\n    auth_type PASS\n    auth_pass ")
                .append(pass).append("\n  }\n"));
        out.append("  virtual_ipaddress {\n");
        vips.forEach(v -> out.append("    ").append(Vips.prefix(v)).append(" dev ").append(vrrp.interfaceName())
                .append('\n'));
        out.append("  }\n  track_script {\n    convey_health\n  }\n}\n");
        return out.toString();
    }
}
