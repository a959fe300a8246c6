package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The two id tables that let the data plane keep IPv6 addresses as ints. */
class Ipv6IdsTest {

    @Test
    void vipAndServerIdsAreStableSmallAndFormatInRfc5952Form() throws Exception {
        Inet6Address a = (Inet6Address) InetAddress.getByName("2001:DB8:0:0:1:0:0:1");
        int id = Ipv6.id(a);
        assertThat(Ipv6.id((Inet6Address) InetAddress.getByName("2001:db8::1:0:0:1"))).isEqualTo(id);
        assertThat(id).isBetween(1, Ipv6.LIMIT - 1);
        assertThat(Ipv6.isId(id)).isTrue();
        assertThat(ClientIds.isClientId(id)).isFalse();
        assertThat(Ipv6.address(id)).isEqualTo(a);
        assertThat(Ipv6.format(id)).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Ipv6.format((Inet6Address) InetAddress.getByName("fd00::"))).isEqualTo("fd00::");
        assertThat(Ipv6.format((Inet6Address) InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(Ipv6.format((Inet6Address) InetAddress.getByName("1:0:2:3:4:5:6:7"))).isEqualTo("1:0:2:3:4:5:6:7");
        assertThat(Ipv6.format((Inet6Address) InetAddress.getByName("fe80::1%1"))).isEqualTo("fe80::1");
        assertThat(Ipv6.isId(FrameBuilder.ip("10.0.0.1"))).isFalse();
        assertThat(Ipv6.isId(FrameBuilder.ip("255.0.0.1"))).isFalse();
    }

    @Test
    void idsRegisteredFromManyThreadsAreOnePerAddress() throws Exception {
        int[][] ids = new int[4][300];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int[] mine = ids[t];
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 300; i++) {
                    mine[i] = Ipv6.id(Ipv6.toAddress(0xfd00_0000_0000_0077L, i));
                }
            }));
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        java.util.Set<Integer> distinct = new java.util.HashSet<>();
        for (int i = 0; i < 300; i++) {
            for (int t = 1; t < 4; t++) {
                assertThat(ids[t][i]).isEqualTo(ids[0][i]);
            }
            assertThat(Ipv6.low(ids[0][i])).isEqualTo((long) i);
            distinct.add(ids[0][i]);
        }
        assertThat(distinct).hasSize(300);
    }

    @Test
    void clientIdsGrowAreCountedAndReusedWithoutLosingOthers() {
        ClientIds ids = new ClientIds(5000);
        Random random = new Random(3);
        Map<Long, Integer> held = new HashMap<>(); // low half -> references
        Map<Long, Integer> idOf = new HashMap<>();
        for (int round = 0; round < 50_000; round++) {
            long low = random.nextInt(3000);
            if (random.nextBoolean() || !held.containsKey(low)) {
                int id = ids.acquire(0x2001_0db8L << 32, low);
                assertThat(ClientIds.isClientId(id)).isTrue();
                Integer previous = idOf.putIfAbsent(low, id);
                assertThat(previous == null || previous == id).as("one id while referenced").isTrue();
                held.merge(low, 1, Integer::sum);
            } else {
                ids.release(idOf.get(low));
                if (held.merge(low, -1, Integer::sum) == 0) {
                    held.remove(low);
                    idOf.remove(low);
                }
            }
        }
        assertThat(ids.size()).isEqualTo(held.size());
        idOf.forEach((low, id) -> {
            assertThat(ids.find(0x2001_0db8L << 32, low)).isEqualTo(id);
            assertThat(ids.low(id)).isEqualTo(low);
        });
        assertThat(ids.find(0x2001_0db8L << 32, 9999)).isZero();
    }

    @Test
    void aFullClientTableHandsOutNoId() {
        ClientIds ids = new ClientIds(2);
        assertThat(ids.acquire(1, 1)).isEqualTo(ClientIds.FIRST);
        assertThat(ids.acquire(1, 2)).isEqualTo(ClientIds.FIRST + 1);
        assertThat(ids.acquire(1, 3)).isZero();
        assertThat(ids.acquire(1, 1)).as("a known client takes another reference").isEqualTo(ClientIds.FIRST);
        ids.release(ClientIds.FIRST + 1);
        assertThat(ids.acquire(1, 3)).isEqualTo(ClientIds.FIRST + 1);
    }
}
