package io.convey.balance;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Stable 64-bit hashes of clients (for {@link Balancer#pick} flow keys) and of server ids (for
 * Maglev permutations).
 *
 * <p>The values depend only on the input bytes, never on the JVM or the process, so every balancer
 * instance (after a reload, or on another host sharing the same pool) maps a client the same way.
 * Changing these functions remaps every Maglev flow: treat them as a wire format.
 */
public final class FlowKeys {

    private static final long IPV4_SEED = 0x6a09e667f3bcc908L;
    private static final long IPV6_SEED = 0xbb67ae8584caa73bL;

    private FlowKeys() {}

    /**
     * Flow key of a client address and source port; pass port 0 to keep every connection of one
     * address on the same server. An IPv4 address gives the same key as {@link #flowKey(int, int)}.
     */
    public static long flowKey(InetAddress address, int port) {
        Objects.requireNonNull(address, "address");
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return flowKey(ByteBuffer.wrap(bytes).getInt(), port);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return flowKey(buffer.getLong(), buffer.getLong(), port);
    }

    /**
     * Flow key of an IPv6 address given as its big-endian halves, as read from a packet header, and a port; the
     * same key as {@link #flowKey(InetAddress, int)} gives for that address, and allocation-free for the packet path.
     */
    public static long flowKey(long ipv6High, long ipv6Low, int port) {
        checkPort(port);
        long hash = mix(IPV6_SEED ^ ipv6High);
        hash = mix(hash ^ ipv6Low);
        return mix(hash ^ port);
    }

    /**
     * Flow key of an IPv4 address in network byte order as read from a packet header (so
     * 10.0.0.1 is {@code 0x0a000001}) and a port; allocation-free for the packet path.
     */
    public static long flowKey(int ipv4, int port) {
        checkPort(port);
        return mix(IPV4_SEED ^ ((ipv4 & 0xffffffffL) << 16 | port));
    }

    /** Seeded 64-bit hash of a string's UTF-8 bytes; different seeds give independent hashes. */
    static long hash(String text, long seed) {
        long hash = mix(seed);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = mix(hash ^ (b & 0xff));
        }
        return mix(hash ^ text.length());
    }

    /**
     * The SplitMix64 finalizer (Steele, Lea and Flood, "Fast splittable pseudorandom number
     * generators", OOPSLA 2014): a bijection in which every input bit affects every output bit.
     */
    private static long mix(long value) {
        long z = value + 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
    }
}
