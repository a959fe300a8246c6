package io.convey.engine;

import io.convey.health.HealthTarget;
import io.convey.proxy.DatagramObserver;
import io.convey.stats.DatagramCounters;
import io.convey.stats.TrafficCounters;
import java.time.Duration;

/**
 * Counts one UDP session on its frontend, pool, server and the appliance (as a connection in the connection
 * counters, and with its datagrams in the UDP counters), and reports what it shows of its server to passive
 * health detection when the pool has no probes ({@code passive} null otherwise). Confined to the session's loop.
 */
final class UdpSessionObserver implements DatagramObserver {
    private final TrafficCounters[] traffic;
    private final DatagramCounters[] datagrams;
    private final DatagramCounters server;
    private final HealthTarget target;
    private final PassiveHealth passive;

    /** Counters in the order frontend, pool, server, appliance. */
    UdpSessionObserver(TrafficCounters[] traffic, DatagramCounters[] datagrams, HealthTarget target,
            PassiveHealth passive) {
        this.traffic = traffic;
        this.datagrams = datagrams;
        this.server = datagrams[2];
        this.target = target;
        this.passive = passive;
    }

    @Override
    public void sessionOpened() {
        for (TrafficCounters t : traffic) {
            t.opened();
        }
        for (DatagramCounters d : datagrams) {
            d.opened();
        }
    }

    @Override
    public void datagramFromClient(int bytes) {
        for (TrafficCounters t : traffic) {
            t.addTx(bytes);
        }
        for (DatagramCounters d : datagrams) {
            d.fromClient(bytes);
        }
    }

    @Override
    public void datagramFromServer(int bytes) {
        for (TrafficCounters t : traffic) {
            t.addRx(bytes);
        }
        for (DatagramCounters d : datagrams) {
            d.fromServer(bytes);
        }
    }

    @Override
    public void sessionClosed() {
        for (TrafficCounters t : traffic) {
            t.closed();
        }
        for (DatagramCounters d : datagrams) {
            d.closed();
        }
    }

    @Override
    public void unreachable() {
        server.unreachable();
        if (passive != null) {
            passive.failed(target, "port unreachable (ICMP)", "refused");
        }
    }

    @Override
    public void unanswered(Duration timeout) {
        server.unanswered();
        if (passive != null) {
            passive.failed(target, PassiveHealth.unanswered(timeout), "timeout");
        }
    }

    @Override
    public void answered() {
        if (passive != null) {
            passive.succeeded(target);
        }
    }
}
