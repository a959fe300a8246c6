package io.convey.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/** Composes the pipeline of a connection accepted on one frontend. */
final class FrontendInitializer extends ChannelInitializer<SocketChannel> {
    private final String frontend;
    private final ProxyContext context;

    FrontendInitializer(String frontend, ProxyContext context) {
        this.frontend = frontend;
        this.context = context;
    }

    @Override
    protected void initChannel(SocketChannel client) {
        client.pipeline().addLast(Connector.NAME, new Connector(frontend, context));
    }
}
