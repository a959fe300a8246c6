package io.convey.proxy;

import io.netty.channel.group.ChannelGroup;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every connection of one {@link ProxyServer} shares.
 *
 * @param channels every open client and server channel, so that {@link ProxyServer#close()} can close them
 * @param directFlows   every open flow without channels ({@link DirectFlow}), for the same reason
 * @param active        flows with at least one channel still open
 * @param preambleTimer the PROXY header and ClientHello timeouts: a timing wheel on its own thread, since a timer
 *                      per connection on the event loop moves its epoll deadline (a timerfd_settime system call)
 *                      each time one is set or cancelled
 */
record ProxyContext(Router router, Transport transport, ChannelGroup channels, Set<DirectFlow> directFlows,
        LongAdder active, io.netty.util.Timer preambleTimer) {}
