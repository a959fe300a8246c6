package io.convey.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionQueueTest {

    @Test
    void waitersLeaveInArrivalOrderAndTheCapacityHolds() {
        ConnectionQueue<String> queue = new ConnectionQueue<>();
        assertThat(queue.offer("a", 3)).isTrue();
        assertThat(queue.offer("b", 3)).isTrue();
        assertThat(queue.offer("c", 3)).isTrue();
        assertThat(queue.offer("d", 3)).isFalse();
        assertThat(queue.remove("b")).isTrue();
        assertThat(queue.remove("b")).isFalse();
        assertThat(queue.poll()).isEqualTo("a");
        assertThat(queue.poll()).isEqualTo("c");
        assertThat(queue.poll()).isNull();
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.peak()).isEqualTo(3);
    }

    @Test
    void aQueueOfSizeZeroTakesNobody() {
        ConnectionQueue<String> queue = new ConnectionQueue<>();
        assertThat(queue.offer("a", 0)).isFalse();
        assertThat(queue.peak()).isZero();
    }

    @Test
    void slotsAreFreeBelowTheLimitOrWithoutOne() {
        ServerSlots slots = new ServerSlots();
        slots.take();
        assertThat(slots.free(2)).isTrue();
        slots.take();
        assertThat(slots.free(2)).isFalse();
        assertThat(slots.free(0)).isTrue();
        slots.give();
        assertThat(slots.free(2)).isTrue();
        assertThat(slots.inUse()).isEqualTo(1);
    }
}
