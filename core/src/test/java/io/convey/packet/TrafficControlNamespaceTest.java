package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.net.Cidr;
import io.convey.traffic.AccessEntry;
import io.convey.traffic.AccessList;
import io.convey.traffic.Ending;
import io.convey.traffic.FrontendGuard;
import io.convey.traffic.RateLimiter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Passthrough between real namespaces with a frontend guard: the balancer drops the first packets of a denied
 * source and of a source past its rate limit, counts them, and logs every flow at its end.
 */
class TrafficControlNamespaceTest extends PacketLabScenarios {
    static final int DENIED_HOST = 20;
    static final int BURSTING_HOST = 21;
    final LongAdder refused = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final ConcurrentLinkedQueue<AccessEntry> entries = new ConcurrentLinkedQueue<>();

    @Override
    PacketLab configureLab() {
        // The lab's prefix is chosen when it starts: deny every x.y.z.20 through a guard built from the prefix then.
        return new PacketLab(Delivery.PASSTHROUGH).capture(PassthroughSettings.Capture.RING)
                .clientAddress(DENIED_HOST).clientAddress(BURSTING_HOST).accessLog(entries::add)
                .guard(new FrontendGuard(new DeferredDeny().acl(), new RateLimiter(1, 3, 32, 64, 1024), refused,
                        rateLimited));
    }

    /** Denies .20 of whatever 10.201.x.0/24 the lab picks: built before the prefix is known, so it lists all of them. */
    private static final class DeferredDeny {
        AccessList acl() {
            List<Cidr> deny = new ArrayList<>();
            for (int x = 1; x < 250; x++) {
                deny.add(Cidr.parse("10.201." + x + "." + DENIED_HOST));
            }
            return AccessList.of(List.of(), deny);
        }
    }

    /** Connects from the client namespace's address {@code host}; true if the handshake completed in time. */
    private boolean connectsFrom(int host, int timeoutMillis) throws Exception {
        return lab.inClient(() -> {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(lab.prefix + host), 0));
                s.connect(new InetSocketAddress(lab.vip, PacketLab.VIP_PORT), timeoutMillis);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    @Order(1)
    void aDeniedSourceGetsNoAnswerWhileOthersAreServed() throws Exception {
        assertThat(lab.get("/bytes/1000").bytes()).isEqualTo(1000);
        assertThat(connectsFrom(DENIED_HOST, 2500)).as("SYN and its retransmission dropped").isFalse();
        assertThat(refused.sum()).isGreaterThanOrEqualTo(2);
        assertThat(lab.plane.counters().drops()).containsKey(DropReason.REFUSED_BY_ACL);
        assertThat(lab.plane.counters().drops().get(DropReason.REFUSED_BY_ACL)).isEqualTo(refused.sum());
        await().atMost(Duration.ofSeconds(10)).until(() -> entries.stream()
                .anyMatch(e -> e.ending() == Ending.REFUSED_BY_ACL));
        assertThat(entries.stream().filter(e -> e.ending() == Ending.REFUSED_BY_ACL).findFirst().orElseThrow()
                .client().getAddress().getHostAddress()).isEqualTo(lab.prefix + DENIED_HOST);
    }

    @Test
    @Order(2)
    void theServedFlowIsLoggedAtItsEnd() {
        // HTTP/1.0: the server closes first; the flow leaves the table after its time-wait timeout
        await().atMost(Duration.ofSeconds(10)).until(() -> entries.stream()
                .anyMatch(e -> e.ending() == Ending.SERVER_CLOSED));
        AccessEntry served = entries.stream().filter(e -> e.ending() == Ending.SERVER_CLOSED).findFirst().orElseThrow();
        assertThat(served.client().getAddress().getHostAddress()).isEqualTo(lab.prefix + "2");
        assertThat(served.server()).isIn("s1", "s2");
        assertThat(served.bytesFromServer()).isGreaterThan(1000);
        assertThat(served.bytesFromClient()).isPositive();
        assertThat(served.durationNanos()).isPositive();
    }

    @Test
    @Order(3)
    void aSourceGetsItsBurstAndTheRestOfItsSynsAreDropped() throws Exception {
        long limitedBefore = rateLimited.sum();
        List<Future<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // shorter than the first SYN retransmission (1 s): a dropped SYN fails the attempt
            attempts.add(lab.clients.submit(() -> connectsFrom(BURSTING_HOST, 900)));
        }
        int connected = 0;
        for (Future<Boolean> attempt : attempts) {
            connected += attempt.get() ? 1 : 0;
        }
        // the burst of 3; a fourth only if the attempts spread over a second (1/s)
        assertThat(connected).isBetween(3, 4);
        assertThat(rateLimited.sum() - limitedBefore).isGreaterThanOrEqualTo(6 - connected);
        assertThat(lab.plane.counters().drops().get(DropReason.RATE_LIMITED)).isEqualTo(rateLimited.sum());
    }
}
