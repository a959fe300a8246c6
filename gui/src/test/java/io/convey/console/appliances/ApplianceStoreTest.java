package io.convey.console.appliances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convey.console.client.Trust;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplianceStoreTest {
    private static final String PIN = "0A:".repeat(31) + "0A";

    @Test
    void appliancesAreRememberedWithTheirTrustAndWithoutTokens(@TempDir Path dir) throws Exception {
        ApplianceStore store = new ApplianceStore(dir.resolve("convey-console").resolve("appliances.json"));
        assertThat(store.load()).isEmpty();
        List<Appliance> appliances = List.of(Appliance.parse("edge", "10.0.0.5:7000", new Trust.Pinned(PIN)),
                Appliance.parse("core", "https://lb.example:7000", new Trust.CaFile(Path.of("/etc/ssl/lab-ca.pem"))),
                Appliance.parse("", "http://127.0.0.1:7001", Trust.firstUse()));
        store.save(appliances);
        assertThat(new ApplianceStore(store.file()).load()).isEqualTo(appliances);
        assertThat(Files.readString(store.file())).doesNotContain("token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file().getParent())))
                .isEqualTo("rwx------");
        assertThat(appliances.get(2).name()).isEqualTo("127.0.0.1:7001");
        assertThat(appliances.getFirst().url()).as("HTTPS unless told otherwise").isEqualTo(URI.create("https://10.0.0.5:7000"));
    }

    @Test
    void aTokenOfAnOlderConsoleIsDroppedFromTheListOfAppliances(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("appliances.json");
        Files.writeString(file, "[{\"name\":\"old\",\"url\":\"http://127.0.0.1:7000\",\"token\":\"s3cret\"}]");
        ApplianceStore store = new ApplianceStore(file);
        store.save(store.load());
        assertThat(Files.readString(file)).contains("\"old\"").doesNotContain("s3cret");
    }

    @Test
    void anAddressThatIsNotHostAndPortIsRefusedInTheUsualFormat() {
        assertThatThrownBy(() -> Appliance.parse("x", "ftp://host:21", Trust.firstUse()))
                .hasMessage("address: ftp://host:21 (expected: host:port or https://host:port)");
        assertThatThrownBy(() -> Appliance.parse("x", " ", Trust.firstUse()))
                .hasMessage("address: (expected: host:port or https://host:port)");
    }

    @Test
    void plainHttpOnlyReachesALoopbackAppliance() {
        assertThat(Appliance.parse("x", "http://[::1]:7000", Trust.firstUse()).plainHttp()).isTrue();
        assertThat(Appliance.parse("x", "http://localhost:7000", Trust.firstUse()).plainHttp()).isTrue();
        assertThatThrownBy(() -> Appliance.parse("x", "http://10.0.0.5:7000", Trust.firstUse()))
                .hasMessage("address: http://10.0.0.5:7000 (expected: https:// unless the appliance listens on loopback "
                        + "with tls = \"off\")");
        assertThatThrownBy(() -> Appliance.parse("x", "http://127.0.0.1.example.com:7000", Trust.firstUse()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
