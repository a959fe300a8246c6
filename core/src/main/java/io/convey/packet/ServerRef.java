package io.convey.packet;

/** A server a passthrough flow can be sent to: its name for logs and its IPv4 address as an int (network order). */
public record ServerRef(String name, int ip, int port) {

    public ServerRef {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
    }

    /** Creates a reference from a dotted address such as {@code 10.0.0.2}. */
    public static ServerRef of(String name, java.net.Inet4Address address, int port) {
        return new ServerRef(name, Ipv4.toInt(address), port);
    }

    @Override
    public String toString() {
        return name + "(" + Ipv4.format(ip) + ":" + port + ")";
    }
}
