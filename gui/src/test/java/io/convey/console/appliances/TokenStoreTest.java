package io.convey.console.appliances;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {

    @Test
    void tokensLiveInAnOwnerOnlyFileAndAreForgottenWithTheirAppliance(@TempDir Path dir) throws Exception {
        TokenStore tokens = new TokenStore(dir.resolve("convey-console").resolve("tokens.json"));
        URI edge = URI.create("https://10.0.0.5:7000");
        assertThat(tokens.token(edge)).isEmpty();
        tokens.put(edge, "alice", "7", "console@desk", "cvy_secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens.file().getParent())))
                .isEqualTo("rwx------");
        assertThat(new TokenStore(tokens.file()).token(URI.create("https://10.0.0.5:7000/"))).contains("cvy_secret");
        try (var leftovers = Files.list(tokens.file().getParent())) {
            assertThat(leftovers).as("no temporary file left behind").containsExactly(tokens.file());
        }

        tokens.remove(edge);
        assertThat(new TokenStore(tokens.file()).token(edge)).isEmpty();
        assertThat(Files.readString(tokens.file())).doesNotContain("cvy_secret");
    }
}
