package io.convey.packet;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.convey.net.TunDevice;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receive side of the kernel's ipip module, for a DSR server on a kernel built without it (as here): IP-in-IP
 * packets addressed to the server's namespace (a raw socket for protocol 4, which the kernel fills after
 * reassembly, as it would hand them to ipip) lose their outer header and come in again on a TUN device named
 * {@code tunl0}, the name of the module's fallback device. The commands {@link DsrServerSetup} prints for tunl0 (up,
 * no reverse-path check) then apply to it as written, and the kernel takes the inner packet as one received on
 * tunl0: it checks the reverse path there, verifies the UDP or TCP checksum in software (a TUN write carries no
 * checksum offload, like a decapsulated packet) and delivers it to the VIP on lo. Not copied from the module: the
 * ECN combination of outer and inner header (RFC 6040), which no test here sets.
 */
final class IpipTunnelStandIn implements AutoCloseable {
    /** The ipip module's fallback device, the one {@link DsrServerSetup} configures. */
    static final String DEVICE = "tunl0";

    /** Bytes of receive buffer asked for the raw socket (the kernel doubles it for its bookkeeping). */
    private static final int RECEIVE_BUFFER = 32 * 1024 * 1024;
    /** From asm-generic/socket.h and linux/sock_diag.h: {@code u32 meminfo[SK_MEMINFO_VARS]}, drops the last. */
    private static final int SO_MEMINFO = 55;
    private static final int SK_MEMINFO_VARS = 9;
    private static final int SK_MEMINFO_DROPS = 8;
    private static final Linker LINKER = Linker.nativeLinker();
    // The JDK has no raw sockets for a protocol; write is the call Libc lacks.
    private static final MethodHandle WRITE = LINKER.downcallHandle(LINKER.defaultLookup().find("write").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    /** Inner packets handed to tunl0. */
    final AtomicLong decapsulated = new AtomicLong();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = arena.allocate(Libc.CALL_STATE);
    private final int tun;
    private final int raw;
    private final Thread reader;
    private volatile boolean running = true;

    private IpipTunnelStandIn(int tun, int raw, String ns) {
        this.tun = tun;
        this.raw = raw;
        reader = Thread.ofPlatform().daemon().name("ipip-" + ns).start(this::relay);
    }

    /** Creates tunl0 (down, as the module leaves it) and the raw socket in namespace {@code ns}. */
    static IpipTunnelStandIn open(String ns) throws Exception {
        int[] fds = NetNamespaces.callIn(ns, IpipTunnelStandIn::openInCurrentNamespace);
        return new IpipTunnelStandIn(fds[0], fds[1], ns);
    }

    private static int[] openInCurrentNamespace() throws IOException {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = temp.allocate(Libc.CALL_STATE);
            int tun = TunDevice.open(DEVICE, "no " + DEVICE + " yet, i.e. no ipip module");
            int raw = (int) Libc.SOCKET.invokeExact(state, Libc.AF_INET, Libc.SOCK_RAW, DsrRewriter.PROTOCOL_IPIP);
            if (raw < 0) {
                Libc.closeQuietly(state, tun);
                throw new IOException("raw socket for protocol 4: errno " + Libc.errno(state) + " (expected: root)");
            }
            // The module decapsulates in the receive path, with no queue to overflow; this reader is a thread behind
            // a socket buffer, which at the default size (rmem_default) loses a bulk transfer's bursts. A buffer far
            // larger than any TCP window here keeps it lossless like the module (socketDrops tells).
            MemorySegment size = temp.allocateFrom(JAVA_INT, RECEIVE_BUFFER);
            if ((int) Libc.SETSOCKOPT.invokeExact(state, raw, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, size, 4) < 0) {
                Libc.closeQuietly(state, raw);
                Libc.closeQuietly(state, tun);
                throw new IOException("SO_RCVBUFFORCE: errno " + Libc.errno(state) + " (expected: root)");
            }
            return new int[] {tun, raw};
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Outer packets the kernel dropped before this reader got them (its socket buffer full, or out of memory): the
     * {@code SK_MEMINFO_DROPS} entry of {@code SO_MEMINFO}.
     */
    long socketDrops() throws IOException {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = temp.allocate(Libc.CALL_STATE);
            MemorySegment info = temp.allocate(JAVA_INT, SK_MEMINFO_VARS);
            MemorySegment length = temp.allocateFrom(JAVA_INT, (int) info.byteSize());
            if ((int) Libc.GETSOCKOPT.invokeExact(state, raw, Libc.SOL_SOCKET, SO_MEMINFO, info, length) < 0) {
                throw new IOException("SO_MEMINFO: errno " + Libc.errno(state));
            }
            return Integer.toUnsignedLong(info.getAtIndex(JAVA_INT, SK_MEMINFO_DROPS));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Receives outer packets (an IPv4 raw socket's reads start at the IP header) and writes their inner packet. */
    private void relay() {
        MemorySegment buffer = arena.allocate(65536);
        MemorySegment pollFd = arena.allocate(8); // struct pollfd: int fd, short events, short revents
        pollFd.set(JAVA_INT, 0, raw);
        pollFd.set(JAVA_SHORT, 4, Libc.POLLIN);
        MemorySegment timeout = arena.allocate(16); // struct timespec: 100 ms, so that close() is seen soon
        timeout.set(JAVA_LONG, 8, 100_000_000L);
        try {
            while (running) {
                if ((int) Libc.PPOLL.invokeExact(callState, pollFd, 1L, timeout, MemorySegment.NULL) <= 0) {
                    continue;
                }
                long n = (long) Libc.RECV.invokeExact(callState, raw, buffer, buffer.byteSize(), Libc.MSG_DONTWAIT);
                if (n < 20 || buffer.get(JAVA_BYTE, 9) != DsrRewriter.PROTOCOL_IPIP) {
                    continue;
                }
                int outer = (buffer.get(JAVA_BYTE, 0) & 0x0F) * 4;
                if (n > outer && (long) WRITE.invokeExact(tun, buffer.asSlice(outer), n - outer) > 0) {
                    decapsulated.incrementAndGet();
                }
            }
        } catch (Throwable t) {
            throw new IllegalStateException("ipip stand-in: " + t, t);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.join();
        Libc.closeQuietly(callState, raw);
        Libc.closeQuietly(callState, tun); // not persistent: the kernel deletes tunl0 with its last descriptor
        arena.close();
    }
}
