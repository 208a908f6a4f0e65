package dev.cratereactive.internal.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A read timeout that only counts while the client has asked for bytes. Reactor Netty reads from the socket
 * only when the subscriber has demand (each {@code read()} travels through this handler); a plain
 * {@code ReadTimeoutHandler} would fail a slow consumer's healthy stream, which the Python client's socket
 * timeout does not do either. Runs on the channel's event loop only.
 *
 * <p>Installed once per connection, right before Reactor Netty's bridge (it sees HTTP objects both ways): the
 * end of a request armed it, the end of its response disarms it. Nothing is added to or removed from the
 * pipeline per request, and the check is scheduled lazily: a check that finds the response complete is not
 * re-armed, one that finds the connection still waiting re-arms for the rest, so a busy connection costs one
 * scheduled task per timeout period, not one per request.
 */
final class DemandAwareReadTimeout extends ChannelDuplexHandler {

    static final String NAME = "crate.readTimeout";

    private final long timeoutNanos;
    private boolean waiting;
    private boolean responseComplete = true; // nothing is awaited before the first request
    private long lastActivityNanos;
    private ScheduledFuture<?> check;

    DemandAwareReadTimeout(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {
            // The request is complete: its response is awaited whether or not a read() was issued yet.
            responseComplete = false;
            startWaiting(ctx);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (!waiting && !responseComplete) {
            startWaiting(ctx);
        }
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivityNanos = System.nanoTime();
        if (msg instanceof LastHttpContent) {
            // Everything arrived: a subscriber still draining buffered rows is not waiting for the network.
            responseComplete = true;
            waiting = false; // the pending check, if any, finds nobody waiting and stops
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        waiting = false; // until the next read(): without demand nobody is waiting
        ctx.fireChannelReadComplete();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void startWaiting(ChannelHandlerContext ctx) {
        waiting = true;
        lastActivityNanos = System.nanoTime();
        if (check == null) {
            schedule(ctx, timeoutNanos);
        }
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        check = ctx.executor().schedule(() -> onCheck(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void onCheck(ChannelHandlerContext ctx) {
        check = null;
        if (!waiting || !ctx.channel().isActive()) {
            return; // re-armed by the next read() or request
        }
        long idle = System.nanoTime() - lastActivityNanos;
        if (idle >= timeoutNanos) {
            ctx.fireExceptionCaught(ReadTimeoutException.INSTANCE);
            ctx.close();
        } else {
            schedule(ctx, timeoutNanos - idle);
        }
    }

    private void cancel() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
