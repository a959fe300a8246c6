package io.convey.config;

import io.convey.net.AddressText;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses {@code ip:port} and {@code [ipv6]:port} literals without ever resolving a hostname, so that a
 * config never blocks on DNS and means the same thing on every load.
 */
public final class SocketAddresses {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_HEX = Pattern.compile("[0-9A-Fa-f:.]+(%[\\w.]+)?");

    private SocketAddresses() {}

    /** The parsed address, or an exception whose message says what was expected. */
    public static InetSocketAddress parse(String text) throws InvalidAddressException {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw invalid(text, "[ipv6]:port");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            if (!IPV6_HEX.matcher(host).matches() || !host.contains(":")) {
                throw invalid(text, "[ipv6]:port");
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                throw invalid(text, "ip:port");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            var m = IPV4.matcher(host);
            if (!m.matches()) {
                boolean looksLikeName = host.chars().anyMatch(Character::isLetter);
                throw new InvalidAddressException(looksLikeName
                        ? quote(text) + " (expected: ip:port with a literal IP address; hostnames are not resolved)"
                        : quote(text) + " (expected: ip:port)");
            }
            for (int g = 1; g <= 4; g++) {
                if (Integer.parseInt(m.group(g)) > 255) {
                    throw invalid(text, "ip:port");
                }
            }
        }
        int portNumber = parsePort(text, port);
        try {
            // Literal addresses only (checked above), so this never performs a DNS lookup.
            return new InetSocketAddress(InetAddress.getByName(host), portNumber);
        } catch (UnknownHostException e) {
            throw invalid(text, text.startsWith("[") ? "[ipv6]:port" : "ip:port");
        }
    }

    /** The canonical text form, {@code 127.0.0.1:80} or {@code [::1]:80}. */
    public static String format(InetSocketAddress address) {
        if (address.getAddress() instanceof Inet6Address v6) {
            return "[" + compressed(v6) + "]:" + address.getPort();
        }
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** An IPv6 address as RFC 5952 writes it ({@link AddressText#ipv6}), with its zone, if any, after a "%". */
    static String compressed(Inet6Address address) {
        String text = AddressText.ipv6(address.getAddress());
        String host = address.getHostAddress();
        int zone = host.indexOf('%');
        return zone >= 0 ? text + host.substring(zone) : text;
    }

    private static int parsePort(String text, String port) throws InvalidAddressException {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
            throw new InvalidAddressException(quote(text) + " (expected: port 0-65535)");
        }
        int value = Integer.parseInt(port);
        if (value > 65_535) {
            throw new InvalidAddressException(quote(text) + " (expected: port 0-65535)");
        }
        return value;
    }

    private static InvalidAddressException invalid(String text, String expected) {
        return new InvalidAddressException(quote(text) + " (expected: " + expected + ")");
    }

    static String quote(String s) {
        return "\"" + s + "\"";
    }

    /** An address string that is not a literal {@code ip:port}. */
    public static final class InvalidAddressException extends Exception {
        public InvalidAddressException(String message) {
            super(message);
        }
    }
}
