package io.convey.proxy;

import io.netty.channel.group.ChannelGroup;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every connection of one {@link ProxyServer} shares.
 *
 * @param channels every open client and server channel, so that {@link ProxyServer#close()} can close them
 * @param active   flows with at least one channel still open
 */
record ProxyContext(Router router, Transport transport, ChannelGroup channels, LongAdder active) {}
