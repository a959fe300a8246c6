package io.convey.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The per-source rate limit: the burst, then one connection per interval; its table never grows. */
class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSourceGetsItsBurstThenOneConnectionPerInterval() {
        RateLimiter limiter = new RateLimiter(10, 5, 32, 64, 1024);
        long t = 1_000 * SECOND;
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            admitted += limiter.admitV4(0x0A000001, t) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(5);
        assertThat(limiter.admitV4(0x0A000001, t + SECOND / 20)).isFalse(); // half an interval later
        assertThat(limiter.admitV4(0x0A000001, t + SECOND / 10)).isTrue(); // one interval later
        assertThat(limiter.admitV4(0x0A000001, t + SECOND / 10)).isFalse();
        assertThat(limiter.admitV4(0x0A000002, t)).as("another source has its own bucket").isTrue();
        // after a quiet second the whole burst is back
        int later = 0;
        for (int i = 0; i < 20; i++) {
            later += limiter.admitV4(0x0A000001, t + 2 * SECOND) ? 1 : 0;
        }
        assertThat(later).isEqualTo(5);
    }

    @Test
    void aPrefixCountsAsOneSource() {
        RateLimiter limiter = new RateLimiter(1, 2, 24, 64, 1024);
        long t = SECOND;
        assertThat(limiter.admitV4(0xC0000201, t)).isTrue();
        assertThat(limiter.admitV4(0xC00002FE, t)).isTrue();
        assertThat(limiter.admitV4(0xC0000277, t)).as("third address of 192.0.2.0/24").isFalse();
        assertThat(limiter.admitV4(0xC0000301, t)).as("192.0.3.0/24 is another source").isTrue();
        assertThat(limiter.admitV6(0x20010db800000001L, 1, t)).isTrue();
        assertThat(limiter.admitV6(0x20010db800000001L, 2, t)).isTrue();
        assertThat(limiter.admitV6(0x20010db800000001L, 3, t)).as("third address of one /64").isFalse();
    }

    @Test
    void aMillionSourcesKeepTheTableBoundedAndTheAbuserLimited() {
        RateLimiter limiter = new RateLimiter(5, 10, 32, 64, 65_536);
        int capacity = limiter.capacity();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long t = 10 * SECOND;
        int abuserAdmitted = 0;
        int freshRefused = 0;
        for (int i = 0; i < 1_000_000; i++) {
            t += 1_000; // a million new sources in one second
            if (!limiter.admitV4(0x0B000000 + i, t)) {
                freshRefused++;
            }
            if (i % 100 == 0 && limiter.admitV4(0x0A000001, t)) {
                abuserAdmitted++;
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertThat(limiter.capacity()).isEqualTo(capacity);
        assertThat(allocated).as("bytes allocated for a million sources").isLessThan(1 << 20);
        assertThat(freshRefused).as("every new source gets its first connection").isZero();
        // 10,000 tries in one second at 5/s with a burst of 10: the burst and the refills, however many sources passed
        assertThat(abuserAdmitted).isBetween(10, 16);
    }
}
