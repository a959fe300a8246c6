package io.convey.console.appliances;

import java.net.URI;
import java.util.Optional;

/** An appliance the operator manages: a name, its admin server's address and the token for writes (may be empty). */
public record Appliance(String name, URI url, String token) {
    public Appliance {
        if (name == null || name.isBlank()) {
            name = url.getAuthority();
        }
        token = token == null ? "" : token.strip();
    }

    /**
     * The appliance at {@code address}: {@code host:port} or a full {@code http(s)://} URL.
     *
     * @throws IllegalArgumentException in the console's error format when the address is not usable
     */
    public static Appliance parse(String name, String address, String token) {
        String text = address == null ? "" : address.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("address: (expected: host:port or http://host:port)");
        }
        URI url;
        try {
            url = URI.create(text.contains("://") ? text : "http://" + text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("address: " + text + " (expected: host:port or http://host:port)", e);
        }
        if (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("address: " + text + " (expected: host:port or http://host:port)");
        }
        return new Appliance(name, url, token);
    }

    public Optional<String> optionalToken() {
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
