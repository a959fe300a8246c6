package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdleWorkerBackoffTest {

    @Test
    void anIdleWorkerWaitsTwiceAsLongEachRoundUpToWhatItsIoAllows() {
        List<Long> parks = new ArrayList<>();
        long park = PassthroughWorker.MIN_PARK_NANOS;
        for (int i = 0; i < 10; i++) {
            parks.add(park);
            park = PassthroughWorker.nextPark(park, 1_000_000L);
        }
        assertThat(parks).startsWith(10_000L, 20_000L, 40_000L, 80_000L, 160_000L, 320_000L, 640_000L, 1_000_000L)
                .endsWith(1_000_000L, 1_000_000L);
        long idleBeforeTheCap = parks.stream().takeWhile(p -> p < 1_000_000L).mapToLong(Long::longValue).sum();
        assertThat(idleBeforeTheCap).isLessThan(2_000_000L); // about 2 ms of quiet before the longest park
    }
}
