package io.convey.packet;

import io.convey.net.AddressText;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IPv6 addresses in the int form the data plane works with: each VIP and server address gets an id in
 * {@code [1, 2^20)}, inside 0.0.0.0/8, which is never an IPv4 source or destination on the wire ({@link TcpFrame}
 * drops such IPv4 frames), so an int names an IPv4 address or an IPv6 id unambiguously. Clients get per-worker ids
 * above these ({@link ClientIds}).
 *
 * <p>The registry is process-wide because a {@link ServerRef} is a value the engine builds before any worker
 * exists, and a server must keep its id across reloads and workers. It only grows (VIPs and servers come from the
 * config, a few at most), so it behaves like a constant: writers take a lock and publish a new immutable
 * {@link Registry}; data-plane threads read the published one, without locks or allocation.
 */
public final class Ipv6 {
    /** The first id that is not a VIP or server id ({@link ClientIds#FIRST}). */
    static final int LIMIT = 1 << 20;
    private static final Object LOCK = new Object();
    private static volatile Registry registry = Registry.empty();

    private Ipv6() {}

    /** Returns true if the int is an IPv6 id (VIP, server or client), not an IPv4 address. */
    public static boolean isId(int ip) {
        return ip != 0 && (ip >>> 24) == 0;
    }

    /** Returns the id of a VIP or server address, registering it on first use. */
    public static int id(Inet6Address address) {
        byte[] b = address.getAddress();
        long high = readLong(b, 0);
        long low = readLong(b, 8);
        int known = find(high, low);
        if (known != 0) {
            return known;
        }
        synchronized (LOCK) {
            Registry current = registry;
            int again = current.find(high, low);
            if (again != 0) {
                return again;
            }
            if (current.size + 1 >= LIMIT) {
                throw new IllegalStateException("ipv6 addresses: " + LIMIT + " (expected: at most " + (LIMIT - 1)
                        + " VIPs and servers)");
            }
            Registry next = current.with(high, low);
            registry = next;
            return next.size;
        }
    }

    /** Returns the address of a VIP or server id. */
    public static Inet6Address address(int id) {
        return toAddress(high(id), low(id));
    }

    /** Formats a VIP or server id as its address (RFC 5952). */
    public static String format(int id) {
        return format(high(id), low(id));
    }

    /** Returns the id of a registered VIP or server address, or 0. Allocation-free. */
    static int find(long high, long low) {
        return registry.find(high, low);
    }

    /** The upper 64 bits of a VIP or server id's address. */
    static long high(int id) {
        return registry.highs[id];
    }

    /** The lower 64 bits of a VIP or server id's address. */
    static long low(int id) {
        return registry.lows[id];
    }

    /** Formats an address without a scope, in RFC 5952's canonical form (longest run of zero groups as ::). */
    public static String format(long high, long low) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[i + 8] = (byte) (low >>> (56 - 8 * i));
        }
        return AddressText.ipv6(b);
    }

    /** Formats an address without its scope, as {@link #format(long, long)}. */
    public static String format(Inet6Address address) {
        return AddressText.ipv6(address.getAddress());
    }

    static Inet6Address toAddress(long high, long low) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[i + 8] = (byte) (low >>> (56 - 8 * i));
        }
        try {
            return (Inet6Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError("sixteen bytes are always a valid IPv6 address", e);
        }
    }

    static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    static void writeLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    /** A hash of an address for open addressing (a 64-bit multiplicative mix of both halves). */
    static int hash(long high, long low) {
        long h = high * 0x9E3779B97F4A7C15L ^ low * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 29));
    }

    /**
     * One published state of the registry: open addressing on the address (slot to id, 0 empty) and the address
     * of each id. Never changed once published.
     */
    private record Registry(int[] slots, long[] highs, long[] lows, int size) {
        static Registry empty() {
            return new Registry(new int[16], new long[1], new long[1], 0);
        }

        int find(long high, long low) {
            int mask = slots.length - 1;
            for (int slot = hash(high, low) & mask; ; slot = (slot + 1) & mask) {
                int id = slots[slot];
                if (id == 0 || (highs[id] == high && lows[id] == low)) {
                    return id;
                }
            }
        }

        Registry with(long high, long low) {
            int id = size + 1;
            long[] h = java.util.Arrays.copyOf(highs, id + 1);
            long[] l = java.util.Arrays.copyOf(lows, id + 1);
            h[id] = high;
            l[id] = low;
            int length = slots.length;
            while (id * 2 > length) {
                length *= 2;
            }
            int[] s = new int[length];
            int mask = length - 1;
            for (int i = 1; i <= id; i++) {
                int slot = hash(h[i], l[i]) & mask;
                while (s[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                s[slot] = i;
            }
            return new Registry(s, h, l, id);
        }
    }
}
