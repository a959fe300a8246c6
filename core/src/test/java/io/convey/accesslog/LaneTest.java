package io.convey.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The producer-to-writer ring: bounded, in order across wrap-arounds, and nothing lost or seen twice under load. */
class LaneTest {

    @Test
    void aFullRingRefusesUntilTheWriterTakesAndKeepsTheOrderAcrossTheWrap() {
        Lane lane = new Lane(Thread.currentThread(), 4);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            assertThat(lane.offer(i)).isTrue();
        }
        assertThat(lane.offer(4)).as("full").isFalse();
        assertThat(lane.drain(out, 3)).isEqualTo(3);
        assertThat(out).containsExactly(0, 1, 2);
        for (int i = 4; i < 7; i++) {
            assertThat(lane.offer(i)).isTrue(); // slots 0-2 again
        }
        assertThat(lane.offer(7)).isFalse();
        assertThat(lane.size()).isEqualTo(4);
        out.clear();
        assertThat(lane.drain(out, 100)).isEqualTo(4);
        assertThat(out).containsExactly(3, 4, 5, 6);
        assertThat(lane.drain(out, 100)).isZero();
        assertThatThrownBy(() -> new Lane(Thread.currentThread(), 6)).hasMessageContaining("power of two");
    }

    @Test
    void everyItemOfABusyProducerReachesTheWriterOnceAndInOrder() throws Exception {
        int total = 2_000_000;
        Lane[] lane = new Lane[1];
        Thread producer = Thread.ofPlatform().unstarted(() -> {
            for (int i = 0; i < total; i++) {
                while (!lane[0].offer(i)) {
                    Thread.onSpinWait();
                }
            }
        });
        lane[0] = new Lane(producer, 64);
        producer.start();
        List<Object> batch = new ArrayList<>();
        int next = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (next < total && System.nanoTime() < deadline) {
            lane[0].drain(batch, 16);
            for (Object o : batch) {
                if ((Integer) o != next++) {
                    throw new AssertionError("item " + o + " where " + (next - 1) + " was due");
                }
            }
            batch.clear();
        }
        producer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(next).isEqualTo(total);
        assertThat(lane[0].size()).isZero();
    }
}
