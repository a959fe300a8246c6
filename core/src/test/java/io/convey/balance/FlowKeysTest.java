package io.convey.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlowKeysTest {

    /** Pinned values: a change here remaps every Maglev flow of every deployment. */
    @Test
    void keysAreFixedValuesSoEveryProcessMapsAClientAlike() throws Exception {
        assertThat(FlowKeys.flowKey(0x0a000001, 0)).isEqualTo(-1923080523442885941L);
        assertThat(FlowKeys.flowKey(InetAddress.getByName("2001:db8::1"), 443)).isEqualTo(7824314289507151649L);
    }

    @Test
    void anIpv4AddressGivesTheSameKeyAsItsRawInt() throws Exception {
        InetAddress address = InetAddress.getByName("192.168.1.20");

        assertThat(FlowKeys.flowKey(address, 51000)).isEqualTo(FlowKeys.flowKey(0xc0a80114, 51000));
    }

    @Test
    void anIpv6AddressGivesTheSameKeyAsItsTwoHalves() throws Exception {
        assertThat(FlowKeys.flowKey(0x20010db800000000L, 1L, 443)).isEqualTo(7824314289507151649L)
                .isEqualTo(FlowKeys.flowKey(InetAddress.getByName("2001:db8::1"), 443));
    }

    @Test
    void addressAndPortBothChangeTheKey() throws Exception {
        long key = FlowKeys.flowKey(0x0a000001, 1000);

        assertThat(FlowKeys.flowKey(0x0a000001, 1001)).isNotEqualTo(key);
        assertThat(FlowKeys.flowKey(0x0a000002, 1000)).isNotEqualTo(key);
        assertThat(FlowKeys.flowKey(InetAddress.getByName("::ffff:0:a00:1"), 1000)).isNotEqualTo(key);
    }

    @Test
    void sequentialAddressesSpreadEvenly() {
        int[] buckets = new int[64];
        Set<Long> keys = new HashSet<>();
        for (int host = 0; host < 65536; host++) {
            long key = FlowKeys.flowKey(0x0a000000 | host, 0);
            keys.add(key);
            buckets[(int) Long.remainderUnsigned(key, 64)]++;
        }

        assertThat(keys).hasSize(65536);
        for (int count : buckets) {
            assertThat(count).isBetween(900, 1150);
        }
    }

    @Test
    void sequentialPortsOfOneClientSpreadOverMaglevServers() {
        Balancer balancer = Balancer.maglev(List.of("a", "b", "c"), new int[] {1, 1, 1});
        int[] counts = new int[3];
        for (int port = 1024; port < 1024 + 30_000; port++) {
            counts[balancer.pick(FlowKeys.flowKey(0xc0a80001, port))]++;
        }

        for (int count : counts) {
            assertThat(count / 30_000.0).isCloseTo(1.0 / 3, within(0.02));
        }
    }

    @Test
    void rejectsPortsOutsideTheTcpRange() {
        assertThatThrownBy(() -> FlowKeys.flowKey(1, 70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port: 70000 (expected: 0-65535)");
    }
}
