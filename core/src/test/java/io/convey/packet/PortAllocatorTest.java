package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
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
        assertThat(ports.allocate()).isEqualTo(102); // the only free port
        assertThat(ports.allocate()).isEqualTo(-1);
    }

    @Test
    void freedPortsComeBackInTheOrderTheyWereFreedAfterTheNeverUsedOnes() {
        PortAllocator ports = new PortAllocator(100, 109, 1, 0);
        for (int i = 0; i < 8; i++) {
            ports.allocate(); // 101-108
        }
        ports.release(105);
        ports.release(101);
        ports.release(103);
        assertThat(ports.allocate()).isEqualTo(109);
        assertThat(ports.allocate()).isEqualTo(100);
        assertThat(ports.allocate()).isEqualTo(105); // a round-robin cursor would give 101, freed last but one
        assertThat(ports.allocate()).isEqualTo(101);
        assertThat(ports.allocate()).isEqualTo(103);
        assertThat(ports.allocate()).isEqualTo(-1);
    }

    @Test
    void underChurnAPortIsReusedOnlyAfterTheWholeShare() {
        PortAllocator ports = PortAllocator.forWorker(1, 2);
        int[] live = new int[100];
        for (int i = 0; i < live.length; i++) {
            live[i] = ports.allocate();
        }
        Map<Integer, Integer> lastUse = new HashMap<>();
        for (int n = 0; n < 3 * ports.capacity(); n++) { // connections open and close; 100 stay live at a time
            int i = n % live.length;
            ports.release(live[i]);
            live[i] = ports.allocate();
            Integer previous = lastUse.put(live[i], n);
            if (previous != null) {
                assertThat(n - previous).as("allocations between two uses of %d", live[i])
                        .isGreaterThanOrEqualTo(ports.capacity() - live.length);
            }
        }
    }

    @Test
    void eachServerHasItsOwnOrder() {
        ServerPorts ports = ServerPorts.forWorker(0, 2);
        int first = ports.allocate(0x0A000101, 8080);
        assertThat(ports.allocate(0x0A000102, 8080)).isEqualTo(first);
        ports.release(0x0A000101, 8080, first);
        assertThat(ports.allocate(0x0A000101, 8080)).isNotEqualTo(first).isEqualTo(first + 2);
        assertThat(ports.servers()).isEqualTo(2);
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
