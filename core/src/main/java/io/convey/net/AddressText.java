package io.convey.net;

/**
 * The text form of addresses that config, messages and the packet data plane share: IPv6 as RFC 5952 section 4
 * writes it (the JDK writes every group, 0:0:0:0:0:0:0:1). A base package of plain functions, so that the leaf
 * packages need not import each other for it.
 */
public final class AddressText {
    private AddressText() {}

    /** An address without its zone: dotted decimal, or IPv6 as {@link #ipv6} writes it. */
    public static String of(java.net.InetAddress address) {
        return address instanceof java.net.Inet6Address ? ipv6(address.getAddress()) : address.getHostAddress();
    }

    /**
     * The 16 bytes of an IPv6 address as lower-case groups without leading zeros, the longest run of two or more
     * zero groups (the first of equal runs) written "::"; no zone.
     */
    public static String ipv6(byte[] address) {
        if (address.length != 16) {
            throw new IllegalArgumentException("address: " + address.length + " bytes (expected: 16)");
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xFF) << 8 | (address[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened (section 4.2.2)
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
