package io.convey.console.appliances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplianceStoreTest {

    @Test
    void appliancesAreRememberedWithTheirTokensInAFileOnlyTheOwnerReads(@TempDir Path dir) throws Exception {
        ApplianceStore store = new ApplianceStore(dir.resolve("convey-console").resolve("appliances.json"));
        assertThat(store.load()).isEmpty();
        List<Appliance> appliances = List.of(Appliance.parse("edge", "10.0.0.5:7000", "s3cret"),
                Appliance.parse("", "http://127.0.0.1:7001", ""));
        store.save(appliances);
        assertThat(new ApplianceStore(store.file()).load()).isEqualTo(appliances);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(appliances.get(1).name()).isEqualTo("127.0.0.1:7001");
        assertThat(appliances.getFirst().url()).isEqualTo(URI.create("http://10.0.0.5:7000"));
    }

    @Test
    void anAddressThatIsNotHostAndPortIsRefusedInTheUsualFormat() {
        assertThatThrownBy(() -> Appliance.parse("x", "ftp://host:21", ""))
                .hasMessage("address: ftp://host:21 (expected: host:port or http://host:port)");
        assertThatThrownBy(() -> Appliance.parse("x", " ", ""))
                .hasMessage("address: (expected: host:port or http://host:port)");
    }
}
