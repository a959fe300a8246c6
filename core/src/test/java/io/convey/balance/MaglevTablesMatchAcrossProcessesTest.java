package io.convey.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two appliances build the same Maglev table for the same servers and health view, so a flow that the routers
 * re-hash to the other appliance lands on the same server: each table is built in a JVM of its own, with different
 * identity hash codes, from files that list the servers in different orders, and every slot is compared.
 */
class MaglevTablesMatchAcrossProcessesTest {

    private static final String POOL = """
            [frontends.web]
            listen_addr = "198.51.100.10:80"
            backend = "web"
            [backends.web]
            algorithm = "maglev"
            %s
            """;
    private static final List<String> SERVERS = List.of(
            "[backends.web.servers.s1]\naddr = \"10.1.0.21:80\"\nweight = 3\n",
            "[backends.web.servers.s2]\naddr = \"10.1.0.22:80\"\nweight = 1\n",
            "[backends.web.servers.s3]\naddr = \"10.1.0.23:80\"\nweight = 2\n",
            "[backends.web.servers.s4]\naddr = \"10.1.0.24:80\"\nweight = 2\nstate = \"drain\"\n",
            "[backends.web.servers.s5]\naddr = \"10.1.0.25:80\"\nweight = 5\n");

    @TempDir
    Path dir;

    @Test
    void everySlotIsTheSameInTwoProcessesWhateverTheFileOrder() throws Exception {
        Path a = write("a.toml", SERVERS);
        Path b = write("b.toml", SERVERS.reversed());
        // -XX:hashCode=2 makes every identity hash code 1: anything keyed on identity would change the table.
        List<String> first = dump(a, "", "-XX:+UnlockExperimentalVMOptions", "-XX:hashCode=2");
        List<String> second = dump(b, "", "-Xint");
        assertThat(first).hasSize(Maglev.TABLE_SIZE);
        assertThat(first).containsOnly("s1", "s2", "s3", "s5"); // s4 drains
        assertThat(second).isEqualTo(first);
    }

    @Test
    void theSameHealthViewGivesTheSameTableAndADifferentOneDoesNot() throws Exception {
        Path a = write("a.toml", SERVERS);
        Path b = write("b.toml", SERVERS.reversed());
        List<String> first = dump(a, "s3", "-XX:+UnlockExperimentalVMOptions", "-XX:hashCode=2");
        List<String> second = dump(b, "s3");
        assertThat(first).doesNotContain("s3").isEqualTo(second);
        List<String> allUp = dump(b, "");
        assertThat(allUp).as("the health view matters, so the comparison above is not vacuous").isNotEqualTo(first);
        long moved = 0;
        for (int slot = 0; slot < first.size(); slot++) {
            if (!first.get(slot).equals(allUp.get(slot)) && !allUp.get(slot).equals("s3")) {
                moved++;
            }
        }
        assertThat((double) moved / first.size()).as("only s3's slots move, plus Maglev's small disruption")
                .isLessThan(0.05);
    }

    private Path write(String name, List<String> servers) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, POOL.formatted(String.join("", servers)), StandardCharsets.UTF_8);
        return file;
    }

    private static List<String> dump(Path config, String down, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MaglevTableDump.class.getName(),
                config.toString(), "web"));
        if (!down.isEmpty()) {
            command.add(down);
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return lines;
    }
}
