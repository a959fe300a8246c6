package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Timeout(60)
class LargeTransferKeepsBytesIntactTest {
    private static final Logger log = LoggerFactory.getLogger(LargeTransferKeepsBytesIntactTest.class);
    private static final int CHUNK = 1 << 20;
    private static final long UPLOAD = 1L << 30;
    private static final long DOWNLOAD = 512L << 20;

    /** What one side sent or received: byte count and SHA-256. */
    record Digest(long bytes, String sha256) {}

    @ParameterizedTest
    @EnumSource(Transport.class)
    void oneGibUpAndHalfGibDownArriveWithMatchingSha256(Transport transport) throws Exception {
        CompletableFuture<Digest> uploaded = new CompletableFuture<>();
        CompletableFuture<Digest> downloadSent = new CompletableFuture<>();
        try (TestServer backend = TestServer.start(socket -> {
                    uploaded.complete(receive(socket.getInputStream()));
                    downloadSent.complete(send(socket.getOutputStream(), DOWNLOAD, 2));
                });
                ProxyServer proxy = new ProxyServer(TestRouter.of(backend.address()), 0, transport)) {
            InetSocketAddress frontend = proxy.bind("web", new InetSocketAddress("127.0.0.1", 0)).join();

            try (Socket client = new Socket(frontend.getAddress(), frontend.getPort())) {
                long start = System.nanoTime();
                Digest sent = send(client.getOutputStream(), UPLOAD, 1);
                client.shutdownOutput();
                Digest atServer = uploaded.get(60, TimeUnit.SECONDS);
                long uploadNanos = System.nanoTime() - start;

                start = System.nanoTime();
                Digest downloaded = receive(client.getInputStream());
                long downloadNanos = System.nanoTime() - start;

                log.info("transport={} upload={} MB/s download={} MB/s", proxy.transport(),
                        mbPerSecond(UPLOAD, uploadNanos), mbPerSecond(DOWNLOAD, downloadNanos));
                assertThat(atServer).isEqualTo(sent);
                assertThat(atServer.bytes()).isEqualTo(UPLOAD);
                assertThat(downloaded).isEqualTo(downloadSent.get(10, TimeUnit.SECONDS));
                assertThat(downloaded.bytes()).isEqualTo(DOWNLOAD);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
        }
    }

    /** Sends pseudo-random chunks, each stamped with its index so that a lost or repeated chunk changes the hash. */
    private static Digest send(OutputStream out, long total, long seed) throws IOException {
        MessageDigest sha = sha256();
        byte[] chunk = new byte[CHUNK];
        new Random(seed).nextBytes(chunk);
        ByteBuffer stamp = ByteBuffer.wrap(chunk);
        for (long i = 0; i < total / CHUNK; i++) {
            stamp.putLong(0, i);
            sha.update(chunk);
            out.write(chunk);
        }
        out.flush();
        return new Digest(total, HexFormat.of().formatHex(sha.digest()));
    }

    private static Digest receive(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[CHUNK];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            sha.update(buffer, 0, n);
            total += n;
        }
        return new Digest(total, HexFormat.of().formatHex(sha.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long mbPerSecond(long bytes, long nanos) {
        return bytes * 1_000_000_000L / nanos / 1_000_000L;
    }
}
