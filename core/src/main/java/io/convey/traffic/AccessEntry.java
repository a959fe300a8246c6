package io.convey.traffic;

import java.net.InetSocketAddress;

/**
 * One line of the access log: a connection (proxy) or flow (packet modes) from its start to its end.
 *
 * @param startMillis     wall-clock time of the accept (packet modes: of the first packet), epoch milliseconds
 * @param client          the client's address (the effective one, where a PROXY header names it)
 * @param frontend        the frontend's name
 * @param pool            the pool's name, or null before the frontend's pool is known
 * @param server          the server's name, or null when no server was chosen
 * @param serverAddress   the server's address, or null when no server was chosen
 * @param bytesFromClient bytes the client sent (packet modes: TCP payload bytes)
 * @param bytesFromServer bytes the server sent
 * @param durationNanos   from start to end
 * @param connectNanos    time to connect to the server (0 in packet modes and when none connected)
 * @param queueNanos      time waited in the pool's queue (0 when not queued)
 * @param ending          how it ended
 */
public record AccessEntry(long startMillis, InetSocketAddress client, String frontend, String pool, String server,
                          InetSocketAddress serverAddress, long bytesFromClient, long bytesFromServer,
                          long durationNanos, long connectNanos, long queueNanos, Ending ending) {}
