package io.convey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadKeepsEstablishedConnectionsTest {
    static final int CHUNK = 8 << 20;

    static String config(String a, int wa, String b, int wb) {
        return """
                # a comment the reload must not care about
                [frontends.f]
                listen_addr = "127.0.0.1:%5$d"
                backend = "p"
                [backends.p]
                health_check_interval = 3600
                [backends.p.servers.a]
                addr = "%s"
                weight = %d
                [backends.p.servers.b]
                addr = "%s"
                weight = %d
                [stats]
                port = 0
                """.formatted(a, wa, b, wb, Tcp.freeLoopbackPort());
    }

    @Test
    void aWeightChangeAppliesWhileALongTransferCompletesIntact(@TempDir java.nio.file.Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b");
                RunningDaemon daemon = RunningDaemon.start(dir, config(a.addr(), 1, b.addr(), 1))) {
            var engine = daemon.daemon().engine();
            assertThat(engine.version()).isEqualTo(1);
            try (Socket transfer = new Socket()) {
                transfer.connect(daemon.frontend("f"));
                InputStream in = transfer.getInputStream();
                OutputStream out = transfer.getOutputStream();
                String greeting = new DataInputStream(in).readLine();
                assertThat(greeting).isIn("a", "b");
                MessageDigest sent = MessageDigest.getInstance("SHA-256");
                CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> digestOf(in, 2L * CHUNK));
                byte[] chunk = new byte[CHUNK];
                new Random(1).nextBytes(chunk);
                out.write(chunk);
                sent.update(chunk);

                daemon.rewrite(config(a.addr(), 1, b.addr(), 3));
                await().atMost(Duration.ofSeconds(2)).until(() -> engine.version() == 2);

                new Random(2).nextBytes(chunk);
                out.write(chunk);
                sent.update(chunk);
                transfer.shutdownOutput();
                assertThat(received.get()).isEqualTo(sent.digest());
            }
            assertThat(Tcp.split(daemon.frontend("f"), 40)).isEqualTo(Map.of("a", 10, "b", 30));
        }
    }

    private static byte[] digestOf(InputStream in, long bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 << 10];
            long left = bytes;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new java.io.EOFException(left + " bytes missing");
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
            return digest.digest();
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }
}
