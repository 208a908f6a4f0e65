package dev.cratereactive.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.ReadTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * A read timeout that only counts while the client wants bytes. Reactor Netty turns auto-read off when the
 * subscriber has no demand; a plain {@code ReadTimeoutHandler} would then fail a slow consumer's healthy
 * stream, which is not what the Python client's socket timeout does either.
 */
final class DemandAwareReadTimeout extends IdleStateHandler {

    static final String NAME = "crate.readTimeout";

    DemandAwareReadTimeout(long timeoutMillis) {
        super(timeoutMillis, 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (event.state() == IdleState.READER_IDLE && ctx.channel().config().isAutoRead()) {
            ctx.fireExceptionCaught(ReadTimeoutException.INSTANCE);
            ctx.close();
        }
    }
}
