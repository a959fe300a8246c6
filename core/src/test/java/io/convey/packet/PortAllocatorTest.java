package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

    @Test
    void startsAt33769AndWrapsAfter61000LikeTheOriginal() {
        PortAllocator ports = PortAllocator.forWorker(0, 1);
        assertThat(ports.allocate()).isEqualTo(33769);
        assertThat(ports.capacity()).isEqualTo(61000 - 33768 + 1);
        int last = 0;
        for (int i = 1; i < ports.capacity(); i++) {
            last = ports.allocate();
        }
        assertThat(last).isEqualTo(33768); // wrapped: 33770..61000, then 33768
        assertThat(ports.allocate()).isEqualTo(-1);
    }

    @Test
    void neverHandsOutAPortInUse() {
        PortAllocator ports = new PortAllocator(100, 104, 1, 0);
        Set<Integer> live = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            assertThat(live.add(ports.allocate())).isTrue();
        }
        ports.release(102);
        assertThat(ports.allocate()).isEqualTo(102);
        assertThat(ports.allocate()).isEqualTo(-1);
    }

    @Test
    void workersGetDisjointSharesByResidue() {
        PortAllocator w0 = PortAllocator.forWorker(0, 3);
        PortAllocator w2 = PortAllocator.forWorker(2, 3);
        for (int i = 0; i < 1000; i++) {
            assertThat(w0.allocate() % 3).isZero();
            assertThat(w2.allocate() % 3).isEqualTo(2);
        }
        assertThat(w0.owns(33771)).isTrue();
        assertThat(w0.owns(33772)).isFalse();
    }

    @Test
    void rejectsAResidueOutsideTheStride() {
        assertThatThrownBy(() -> new PortAllocator(1, 10, 2, 2))
                .hasMessage("residue: 2 (expected: 0-1)");
    }
}
