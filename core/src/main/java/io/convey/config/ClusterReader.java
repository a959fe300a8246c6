package io.convey.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * Reads {@code [cluster]} for {@link ConfigLoader}. The etcd password stays out of the config file (which the API
 * shows and the fleet shares): {@code password_file} names an owner-only file holding it, checked as the webhooks'
 * secret files are.
 */
final class ClusterReader {
    static final Set<String> CLUSTER_KEYS = Set.of("etcd_endpoints", "name", "member", "member_ttl_s", "tls_cert",
            "tls_key", "tls_ca", "user", "password_file");
    /** Fleet and member names become etcd key segments: no slash, nothing a shell or URL would mangle. */
    private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}";

    private ClusterReader() {}

    static Optional<ClusterConfig> read(NotifyReader.Access in) {
        List<String> path = List.of("cluster");
        TomlTable cluster = in.table(List.of(), "cluster");
        if (cluster == null) {
            return Optional.empty();
        }
        in.warnUnknown(cluster, path, CLUSTER_KEYS);
        List<URI> endpoints = endpoints(in, cluster.get(List.of("etcd_endpoints")), append(path, "etcd_endpoints"));
        String name = name(in, in.string(cluster, path, "name", true), append(path, "name"));
        String memberText = in.string(cluster, path, "member", false);
        String member = name(in, memberText == null ? hostName() : memberText, append(path, "member"));
        long ttl = in.integer(cluster, path, "member_ttl_s", ClusterConfig.DEFAULT_MEMBER_TTL.toSeconds(), 2, 3600);
        Optional<Path> cert = file(in, cluster, path, "tls_cert");
        Optional<Path> key = file(in, cluster, path, "tls_key");
        Optional<Path> ca = file(in, cluster, path, "tls_ca");
        if (cert.isPresent() != key.isPresent()) {
            in.error(append(path, cert.isPresent() ? "tls_key" : "tls_cert"),
                    "missing (expected: tls_cert and tls_key together)");
        }
        key.ifPresent(k -> NotifyReader.checkSecretFile(in, k, append(path, "tls_key")));
        Optional<String> user = Optional.ofNullable(in.string(cluster, path, "user", false));
        Optional<Path> passwordFile = file(in, cluster, path, "password_file");
        if (user.isPresent() != passwordFile.isPresent()) {
            in.error(append(path, user.isPresent() ? "password_file" : "user"),
                    "missing (expected: user and password_file together)");
        }
        passwordFile.ifPresent(f -> NotifyReader.checkSecretFile(in, f, append(path, "password_file")));
        if (endpoints == null || name == null || member == null) {
            return Optional.empty();
        }
        return Optional.of(new ClusterConfig(endpoints, name, member, Duration.ofSeconds(ttl), cert, key, ca, user,
                passwordFile));
    }

    private static List<URI> endpoints(NotifyReader.Access in, Object value, List<String> path) {
        String expected = "(expected: an array of etcd client URLs, e.g. [\"http://10.0.0.1:2379\"])";
        if (value == null) {
            in.error(path, "missing " + expected);
            return null;
        }
        if (!(value instanceof TomlArray array) || array.isEmpty()) {
            in.error(path, (value instanceof TomlArray ? "[]" : ConfigLoader.render(value)) + " " + expected);
            return null;
        }
        List<URI> endpoints = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Object item = array.get(i);
            URI uri = item instanceof String s ? uri(s) : null;
            if (uri == null) {
                in.error(path, ConfigLoader.render(item) + " " + expected);
                return null;
            }
            endpoints.add(uri);
        }
        return endpoints;
    }

    private static URI uri(String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            return web && uri.getHost() != null && uri.getPort() > 0 && (uri.getPath() == null || uri.getPath().isEmpty())
                    ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String name(NotifyReader.Access in, String text, List<String> path) {
        if (text == null) {
            return null;
        }
        if (!text.matches(NAME_PATTERN)) {
            in.error(path, SocketAddresses.quote(text) + " (expected: 1-63 letters, digits, '.', '_' or '-')");
            return null;
        }
        return text;
    }

    private static Optional<Path> file(NotifyReader.Access in, TomlTable table, List<String> path, String key) {
        String text = in.string(table, path, key, false);
        if (text != null && text.isBlank()) {
            in.error(append(path, key), "\"\" (expected: a file name)");
            return Optional.empty();
        }
        return Optional.ofNullable(text).map(in::resolve);
    }

    /** The default member name: the host's name, as {@code hostname} prints it. */
    static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            int dot = name.indexOf('.');
            return dot > 0 ? name.substring(0, dot) : name;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static List<String> append(List<String> path, String key) {
        List<String> out = new ArrayList<>(path);
        out.add(key);
        return List.copyOf(out);
    }
}
