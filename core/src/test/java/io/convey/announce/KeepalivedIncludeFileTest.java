package io.convey.announce;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.config.ConfigLoader;
import io.convey.config.ConveyConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The managed keepalived include file: what {@code --print-keepalived} prints, written atomically, owner-only when
 * it holds the VRRP password, rewritten only when its text changes, and left as it was when no file can be made.
 */
class KeepalivedIncludeFileTest {
    @TempDir
    Path dir;

    ConveyConfig config(String vips, String authPass) {
        StringBuilder toml = new StringBuilder();
        int i = 0;
        for (String vip : vips.split(",")) {
            if (!vip.isBlank()) {
                toml.append("[frontends.f").append(i++).append("]\nlisten_addr = \"").append(vip)
                        .append(":80\"\nbackend = \"pool\"\n");
            }
        }
        toml.append("""
                [backends.pool.servers.a]
                addr = "10.0.0.11:80"
                [vrrp]
                interface = "eth0"
                virtual_router_id = 51
                include_file = "%s"
                %s
                """.formatted(dir.resolve("conf.d/convey.conf"), authPass == null ? "" : "auth_pass = \"" + authPass
                + "\""));
        return ConfigLoader.parse(toml.toString(), "convey.toml").config().orElseThrow();
    }

    static String render(ConveyConfig c) {
        return KeepalivedSetup.config(c, new InetSocketAddress("127.0.0.1", 7000), Optional.empty());
    }

    @Test
    void theFileHoldsThePrintedConfigAndFollowsTheVips() throws Exception {
        ConveyConfig first = config("198.51.100.10", null);
        Path file = first.announce().vrrp().orElseThrow().includeFile().orElseThrow();
        KeepalivedIncludeFile include = new KeepalivedIncludeFile(file, KeepalivedIncludeFileTest::render);

        include.write(first);
        assertThat(Files.readString(file)).isEqualTo(render(first)).contains("198.51.100.10/32 dev eth0");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        Object inode = Files.getAttribute(file, "unix:ino");

        include.write(first);
        assertThat(Files.getAttribute(file, "unix:ino")).as("same text: not rewritten").isEqualTo(inode);

        ConveyConfig second = config("198.51.100.10,198.51.100.11", null);
        include.write(second);
        assertThat(Files.readString(file)).contains("198.51.100.10/32 dev eth0", "198.51.100.11/32 dev eth0");
        assertThat(Files.getAttribute(file, "unix:ino")).as("replaced by a rename").isNotEqualTo(inode);
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void aFileWithTheVrrpPasswordIsOwnerOnly() throws Exception {
        ConveyConfig config = config("198.51.100.10", "s3cret");
        Path file = config.announce().vrrp().orElseThrow().includeFile().orElseThrow();
        new KeepalivedIncludeFile(file, KeepalivedIncludeFileTest::render).write(config);
        assertThat(Files.readString(file)).contains("auth_pass s3cret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void withoutAnyVipTheLastGoodFileStays() throws Exception {
        ConveyConfig good = config("198.51.100.10", null);
        Path file = good.announce().vrrp().orElseThrow().includeFile().orElseThrow();
        KeepalivedIncludeFile include = new KeepalivedIncludeFile(file, KeepalivedIncludeFileTest::render);
        include.write(good);
        include.write(config("", null));
        assertThat(Files.readString(file)).isEqualTo(render(good));
    }

    @Test
    void aBadIncludeFileValueIsRefusedAtItsLine() {
        var result = ConfigLoader.parse("""
                [vrrp]
                interface = "eth0"
                virtual_router_id = 51
                include_file = "/etc/keepalived/conf.d/"
                """, "convey.toml");
        assertThat(result.problems()).extracting(Object::toString).containsExactly("convey.toml:4: vrrp.include_file: "
                + "\"/etc/keepalived/conf.d/\" (expected: a file path, such as \"/etc/keepalived/conf.d/convey.conf\")");
    }
}
