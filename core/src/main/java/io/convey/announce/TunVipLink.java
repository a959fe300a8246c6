package io.convey.announce;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
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
 * The JDK has no TUN API, hence the three libc calls through the foreign-function API. Addresses are changed with
 * iproute2's {@code ip}, as an operator would.
 */
final class TunVipLink implements VipLink {
    private static final Logger log = LoggerFactory.getLogger(TunVipLink.class);
    static final String VIP_DEVICE = "convey-vip";
    static final String DRAIN_DEVICE = "convey-drain";

    private static final int O_RDWR = 2;
    /** {@code _IOW('T', 202, int)} from linux/if_tun.h. */
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    /** {@code struct ifreq}: a 16-byte name, then the flags in a 24-byte union. */
    private static final int IFREQ_SIZE = 40;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle IOCTL = LINKER.downcallHandle(LINKER.defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final List<Integer> descriptors = new ArrayList<>();
    /** VIP → the device holding it. Only the announcer's single thread calls in. */
    private final Map<InetAddress, String> held = new HashMap<>();

    private TunVipLink() {}

    /** Creates both devices and brings them up; needs CAP_NET_ADMIN. */
    static TunVipLink create() throws IOException {
        TunVipLink link = new TunVipLink();
        try {
            for (String device : List.of(VIP_DEVICE, DRAIN_DEVICE)) {
                link.descriptors.add(openTun(device));
                ip("link", "set", "dev", device, "up");
            }
            log.info("VIP devices up devices={},{} (they disappear with this process)", VIP_DEVICE, DRAIN_DEVICE);
            return link;
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    private static int openTun(String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom("/dev/net/tun"), O_RDWR);
            if (fd < 0) {
                throw new IOException("/dev/net/tun cannot be opened (expected: CAP_NET_ADMIN and the tun driver)");
            }
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(bytes, 0, ifreq, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
            ifreq.set(JAVA_SHORT.withByteAlignment(1), 16, (short) (IFF_TUN | IFF_NO_PI));
            int rc = (int) IOCTL.invokeExact(fd, TUNSETIFF, ifreq);
            if (rc < 0) {
                int ignored = (int) CLOSE.invokeExact(fd);
                throw new IOException("TUNSETIFF " + name + " failed (expected: no other device of that name, e.g."
                        + " another convey daemon in this network namespace)");
            }
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
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
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable t) {
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
