package io.convey.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ports tests name in their configs lie below the kernel's ephemeral range, as the kernel reports it to
 * {@code sysctl}: a port inside the range may be handed to any outgoing connection before the test binds it.
 */
class PortsTest {
    @Test
    void aPortForAListenerLiesBelowTheEphemeralRangeAndIsHandedOutOnce() throws Exception {
        int ephemeralStart = Integer.parseInt(sysctl("net.ipv4.ip_local_port_range").split("\\s+")[0]);
        // Debian's range starts at 32768; one that leaves under 1,000 ports below it makes the tests bind port 0.
        int above = ephemeralStart - 1_024 < 1_000 ? 65_535 : ephemeralStart - 1;

        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = Tcp.freeLoopbackPort();
            assertThat(port).as("ephemeral range from %d", ephemeralStart).isBetween(1_024, above);
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }

    private static String sysctl(String key) throws Exception {
        Process process = new ProcessBuilder("sysctl", "-n", key).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
