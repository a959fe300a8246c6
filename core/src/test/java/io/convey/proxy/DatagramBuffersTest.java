package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The event loop's shared receive buffer lives as long as its loop, and no longer. */
@Timeout(30)
class DatagramBuffersTest {
    @Test
    void theLoopsBufferIsReleasedWhenItsLoopEnds() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, Transport.EPOLL.ioHandlerFactory());
        ByteBuf buffer = group.next().submit(DatagramBuffers::shared).get(5, TimeUnit.SECONDS);
        ByteBuf again = group.next().submit(DatagramBuffers::shared).get(5, TimeUnit.SECONDS);
        assertThat(again).isSameAs(buffer);
        assertThat(buffer.refCnt()).isEqualTo(1);

        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();

        assertThat(buffer.refCnt()).isZero();
    }
}
