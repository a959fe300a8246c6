package io.convey.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convey.testing.EtcdCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With etcd's authentication on, the client logs in with the user and the password file; without them it is refused. */
class EtcdCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void aUserWithItsPasswordFileReadsAndWritesAndNoCredentialIsRefused() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir, 1)) {
            String endpoint = etcd.endpoints().getFirst().toString();
            etcdctl(endpoint, "user", "add", "root", "--new-user-password=s3cret-pw");
            etcdctl(endpoint, "user", "grant-role", "root", "root");
            etcdctl(endpoint, "auth", "enable");
            Path password = Files.writeString(dir.resolve("etcd-password"), "s3cret-pw\n");
            Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));

            EtcdSettings withUser = new EtcdSettings(etcd.endpoints(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of("root"), Optional.of(password), Duration.ofSeconds(3));
            try (EtcdClient client = new EtcdClient(withUser)) {
                Fleet fleet = new Fleet(client, "secured");
                long revision = fleet.write("# fleet\n", 0, new Fleet.Change("test", "init", "init", Instant.now()))
                        .orElseThrow();
                assertThat(fleet.current().orElseThrow().revision()).isEqualTo(revision);
            }
            try (EtcdClient anonymous = new EtcdClient(EtcdSettings.plain(etcd.endpoints()))) {
                assertThatThrownBy(() -> new Fleet(anonymous, "secured").current()).isInstanceOf(IOException.class)
                        .isNotInstanceOf(EtcdUnavailableException.class).hasMessageContaining("user name is empty");
            }
        }
    }

    private static void etcdctl(String endpoint, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoint));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ETCDCTL_API", "3");
        Process process = builder.start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
