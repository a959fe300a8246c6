package io.convey.console.appliances;

import io.convey.console.client.Trust;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/** An appliance the operator manages: a name, its admin server's address and how the console trusts its certificate. */
public record Appliance(String name, URI url, Trust trust) {
    private static final String EXPECTED = "expected: host:port or https://host:port";

    public Appliance {
        if (name == null || name.isBlank()) {
            name = url.getAuthority();
        }
        if (trust == null) {
            trust = Trust.firstUse();
        }
    }

    /**
     * The appliance at {@code address}: {@code host:port} (HTTPS) or a full {@code https://} URL; {@code http://}
     * only on a loopback address (an appliance with {@code [admin] tls = "off"}).
     *
     * @throws IllegalArgumentException in the console's error format when the address is not usable
     */
    public static Appliance parse(String name, String address, Trust trust) {
        String text = address == null ? "" : address.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("address: (" + EXPECTED + ")");
        }
        URI url;
        try {
            url = URI.create(text.contains("://") ? text : "https://" + text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("address: " + text + " (" + EXPECTED + ")", e);
        }
        if (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("address: " + text + " (" + EXPECTED + ")");
        }
        if ("http".equals(url.getScheme()) && !isLoopback(url.getHost())) {
            throw new IllegalArgumentException("address: " + text
                    + " (expected: https:// unless the appliance listens on loopback with tls = \"off\")");
        }
        return new Appliance(name, url, trust);
    }

    /** True for plain HTTP, where no certificate is involved. */
    public boolean plainHttp() {
        return "http".equals(url.getScheme());
    }

    public Appliance withTrust(Trust next) {
        return new Appliance(name, url, next);
    }

    /** Literal loopback addresses and {@code localhost} only: a name is never resolved to decide this. */
    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
        if (h.equals("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-f:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
