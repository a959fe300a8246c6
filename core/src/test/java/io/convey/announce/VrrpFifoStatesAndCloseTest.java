package io.convey.announce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived's lines on the notify FIFO are recorded as they come, and closing wakes the waiting reader. */
class VrrpFifoStatesAndCloseTest {
    @TempDir
    Path dir;

    @Test
    void statesWrittenToTheFifoAreRecordedAndCloseReturnsWhileTheReaderWaits() throws Exception {
        Path fifo = dir.resolve("vrrp.fifo");
        List<String> changes = new CopyOnWriteArrayList<>();
        VrrpNotifications notifications = VrrpNotifications.open(fifo, s -> changes.add(s.state()));
        // written as keepalived writes them: one line per change through its own descriptor
        Files.writeString(fifo, "INSTANCE \"convey_51\" MASTER 150\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
        await().until(() -> changes.equals(List.of("MASTER")));
        Files.writeString(fifo, "INSTANCE \"convey_51\" BACKUP 150\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
        await().until(() -> changes.equals(List.of("MASTER", "BACKUP")));
        assertThat(notifications.states().get("convey_51").state()).isEqualTo("BACKUP");

        // the reader is blocked in read(); close must still return
        CompletableFuture<Void> closed = CompletableFuture.runAsync(notifications::close);
        await().until(closed::isDone);
        assertThat(closed).isNotCompletedExceptionally();
    }
}
