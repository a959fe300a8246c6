package io.convey.announce;

import io.convey.net.TunDevice;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the VIPs as addresses on two TUN devices that this process owns, {@code convey-vip} and
 * {@code convey-drain}; BIRD's {@code direct} protocol turns the addresses present into routes to announce.
 *
 * <p>The devices are created without {@code TUNSETPERSIST}, so the kernel deletes them, and their addresses, when
 * the last descriptor closes: when the daemon stops, and also when it is killed with SIGKILL or crashes. BIRD
 * learns that at once through netlink and withdraws the routes; nothing has to notice that the daemon died.
 * The devices are {@link TunDevice}s. Addresses are changed with iproute2's {@code ip}, as an operator would.
 */
final class TunVipLink implements VipLink {
    private static final Logger log = LoggerFactory.getLogger(TunVipLink.class);
    static final String VIP_DEVICE = "convey-vip";
    static final String DRAIN_DEVICE = "convey-drain";

    private final List<Integer> descriptors = new ArrayList<>();
    /** VIP → the device holding it. Only the announcer's single thread calls in. */
    private final Map<InetAddress, String> held = new HashMap<>();

    private TunVipLink() {}

    /** Creates both devices and brings them up; needs CAP_NET_ADMIN. */
    static TunVipLink create() throws IOException {
        TunVipLink link = new TunVipLink();
        try {
            for (String device : List.of(VIP_DEVICE, DRAIN_DEVICE)) {
                link.descriptors.add(TunDevice.open(device,
                        "no other device of that name, e.g. another convey daemon in this network namespace"));
                ip("link", "set", "dev", device, "up");
            }
            log.info("VIP devices up devices={},{} (they disappear with this process)", VIP_DEVICE, DRAIN_DEVICE);
            return link;
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    @Override
    public void hold(InetAddress vip, boolean draining) throws IOException {
        String device = draining ? DRAIN_DEVICE : VIP_DEVICE;
        String current = held.get(vip);
        if (device.equals(current)) {
            return;
        }
        // Add on the new device before removing from the old one, so the route never disappears in between.
        ip("address", "replace", Vips.prefix(vip), "dev", device);
        held.put(vip, device);
        if (current != null) {
            ip("address", "del", Vips.prefix(vip), "dev", current);
        }
    }

    @Override
    public void release(InetAddress vip) throws IOException {
        String current = held.remove(vip);
        if (current != null) {
            ip("address", "del", Vips.prefix(vip), "dev", current);
        }
    }

    @Override
    public void close() {
        held.clear();
        for (int fd : descriptors) {
            try {
                TunDevice.close(fd);
            } catch (RuntimeException t) {
                log.warn("closing a VIP device failed", t);
            }
        }
        descriptors.clear();
    }

    private static void ip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer within 10 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + ": " + out);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
