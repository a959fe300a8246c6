package io.convey.net;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Creates a TUN device (layer 3, no packet information header) in the calling thread's network namespace and
 * returns its descriptor. The device is not persistent: the kernel deletes it when the last descriptor closes.
 * The JDK has no TUN API, hence libc's open, ioctl and close through the foreign-function API.
 */
public final class TunDevice {
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

    private TunDevice() {}

    /**
     * Creates device {@code name}; needs CAP_NET_ADMIN.
     *
     * @param taken what to say when the name cannot be had, e.g. who else may hold a device of that name
     * @throws IOException when /dev/net/tun cannot be opened or the device cannot be created
     */
    public static int open(String name, String taken) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom("/dev/net/tun"), O_RDWR);
            if (fd < 0) {
                throw new IOException("/dev/net/tun cannot be opened (expected: CAP_NET_ADMIN and the tun driver)");
            }
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(bytes, 0, ifreq, JAVA_BYTE, 0, bytes.length);
            ifreq.set(JAVA_SHORT.withByteAlignment(1), 16, (short) (IFF_TUN | IFF_NO_PI));
            int rc = (int) IOCTL.invokeExact(fd, TUNSETIFF, ifreq);
            if (rc < 0) {
                close(fd);
                throw new IOException("TUNSETIFF " + name + " failed (expected: " + taken + ")");
            }
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Closes a device's descriptor; the last one closed deletes the device. */
    public static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
