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
    void keepsTheClientsPortWhileItIsFreeTowardsTheServer() {
        PortAllocator ports = PortAllocator.forWorker(0, 1);
        assertThat(ports.allocate(40000)).isEqualTo(40000);
        int other = ports.allocate(40000); // a second client chose the same port
        assertThat(other).isNotEqualTo(40000).isBetween(PortAllocator.FIRST, PortAllocator.LAST);
        ports.release(40000);
        assertThat(ports.allocate(40000)).isEqualTo(40000);
        assertThat(ports.inUse()).isEqualTo(2);
    }

    @Test
    void aClientPortOutsideTheRangeGetsOneInside() {
        PortAllocator ports = PortAllocator.forWorker(0, 1);
        // the health checks' source ports on the VIP
        assertThat(ports.allocate(PacketDataPlane.HEALTH_FIRST_PORT)).isEqualTo(61000); // above Linux's client range
        assertThat(ports.allocate(PacketDataPlane.HEALTH_LAST_PORT)).isEqualTo(61001);
        assertThat(ports.allocate(80)).isBetween(PortAllocator.FIRST, PortAllocator.LAST);
        assertThat(PortAllocator.FIRST).isGreaterThan(PacketDataPlane.HEALTH_LAST_PORT);
    }

    @Test
    void neverHandsOutAPortInUse() {
        PortAllocator ports = new PortAllocator(100, 110, 0, 1);
        Set<Integer> live = new HashSet<>();
        for (int i = 0; i < 11; i++) {
            assertThat(live.add(ports.allocate(i % 2 == 0 ? 105 : -1))).isTrue();
        }
        assertThat(ports.allocate(105)).isEqualTo(-1);
        ports.release(102);
        assertThat(ports.allocate(105)).isEqualTo(102); // the only free port
        assertThat(ports.allocate()).isEqualTo(-1);
        assertThat(ports.capacity()).isEqualTo(11);
    }

    @Test
    void underChurnAPortWithoutPreferenceIsReusedOnlyAfterTheWholeShare() {
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
    void eachServerHasItsOwnPorts() {
        ServerPorts ports = ServerPorts.forWorker(0, 1);
        assertThat(ports.allocate(0x0A000101, 8080, 40000)).isEqualTo(40000);
        assertThat(ports.allocate(0x0A000102, 8080, 40000)).isEqualTo(40000); // another 4-tuple
        assertThat(ports.allocate(0x0A000101, 8080, 40000)).isNotEqualTo(40000);
        ports.release(0x0A000101, 8080, 40000);
        assertThat(ports.allocate(0x0A000101, 8080, 40000)).isEqualTo(40000);
        assertThat(ports.servers()).isEqualTo(2);
    }

    @Test
    void workersGetDisjointSharesByTheCaptureFiltersHash() {
        PortAllocator w0 = PortAllocator.forWorker(0, 3);
        PortAllocator w2 = PortAllocator.forWorker(2, 3);
        for (int i = 0; i < 1000; i++) {
            assertThat(CaptureFilter.workerOfPort(w0.allocate(), 3)).isZero();
            assertThat(CaptureFilter.workerOfPort(w2.allocate(), 3)).isEqualTo(2);
        }
        assertThat(w0.owns(50000)).isTrue(); // (50000 * 0x9E3779B1 >>> 16) % 3 == 0
        assertThat(w2.owns(50000)).isFalse();
        assertThat(w0.allocate(50000)).isEqualTo(50000);
        assertThat(CaptureFilter.workerOfPort(w2.allocate(50000), 3)).isEqualTo(2); // not its port: another one
        int total = 0;
        for (int w = 0; w < 3; w++) {
            total += PortAllocator.forWorker(w, 3).capacity();
        }
        assertThat(total).isEqualTo(PortAllocator.LAST - PortAllocator.FIRST + 1);
    }

    @Test
    void rejectsAWorkerOutsideTheCount() {
        assertThatThrownBy(() -> new PortAllocator(1, 10, 2, 2))
                .hasMessage("worker: 2 (expected: 0-1)");
    }
}
