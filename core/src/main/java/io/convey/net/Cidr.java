package io.convey.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * An address prefix such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}, as two 64-bit halves (IPv4 in the low
 * 32 bits of {@code low}). Parsed from literals only, so nothing is ever resolved.
 *
 * @param ipv6   the family
 * @param high   the first 64 bits of an IPv6 network (0 for IPv4)
 * @param low    the last 64 bits of an IPv6 network, or the IPv4 network as an unsigned 32-bit value
 * @param prefix the prefix length: 0-32 for IPv4, 0-128 for IPv6
 */
public record Cidr(boolean ipv6, long high, long low, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    public Cidr {
        if (prefix < 0 || prefix > (ipv6 ? 128 : 32)) {
            throw new IllegalArgumentException("prefix: " + prefix + " (expected: 0-" + (ipv6 ? 128 : 32) + ")");
        }
    }

    /**
     * Parses {@code a.b.c.d/n}, {@code ipv6/n} or a bare address (a host: /32 or /128). Host bits set below the
     * prefix are refused rather than silently cleared: {@code 10.1.2.3/8} is more likely a typo than a wish.
     *
     * @throws IllegalArgumentException with a message {@code "text" (expected: ...)}
     */
    public static Cidr parse(String text) {
        String quoted = "\"" + text + "\"";
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        boolean v6 = host.contains(":");
        if (!(v6 ? IPV6.matcher(host).matches() : IPV4.matcher(host).matches())) {
            throw new IllegalArgumentException(quoted + " (expected: an address prefix such as 10.0.0.0/8 or"
                    + " 2001:db8::/32)");
        }
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(host); // a literal only: never a DNS lookup
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(quoted + " (expected: an address prefix such as 10.0.0.0/8 or"
                    + " 2001:db8::/32)");
        }
        int max = address instanceof Inet6Address ? 128 : 32;
        int prefix = max;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > max) {
                throw new IllegalArgumentException(quoted + " (expected: a prefix length 0-" + max + ")");
            }
            prefix = Integer.parseInt(length);
        }
        Cidr exact = of(address, max);
        Cidr network = of(address, prefix);
        if (exact.high != network.high || exact.low != network.low) {
            throw new IllegalArgumentException(quoted + " (expected: the network address, " + network + ")");
        }
        return network;
    }

    /** The prefix of {@code prefix} bits that holds {@code address}. */
    public static Cidr of(InetAddress address, int prefix) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            long v = ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
            return new Cidr(false, 0, v & mask32(prefix), prefix);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (b[i] & 0xFF);
            low = low << 8 | (b[i + 8] & 0xFF);
        }
        return new Cidr(true, high & maskHigh(prefix), low & maskLow(prefix), prefix);
    }

    /** The mask of the first {@code prefix} bits of an IPv4 address, as an unsigned 32-bit value. */
    public static long mask32(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    /** The mask of an IPv6 prefix over the first 64 bits. */
    public static long maskHigh(int prefix) {
        return prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
    }

    /** The mask of an IPv6 prefix over the last 64 bits. */
    public static long maskLow(int prefix) {
        return prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
    }

    @Override
    public String toString() {
        if (!ipv6) {
            return (low >>> 24) + "." + (low >>> 16 & 0xFF) + "." + (low >>> 8 & 0xFF) + "." + (low & 0xFF) + "/" + prefix;
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[i + 8] = (byte) (low >>> (56 - 8 * i));
        }
        return AddressText.ipv6(b) + "/" + prefix;
    }
}
