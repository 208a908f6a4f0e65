package dev.cratereactive.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.netty.Connection;

/**
 * A response body whose cancellation is cheap when little of it is left. Reactor Netty closes the connection
 * when the body's subscriber cancels before the last byte arrived; for a one-row query read with {@code next()}
 * that is nearly always the case (the row is emitted, and cancelled, while the last chunk is being handed over),
 * so every such query would cost a new TCP connection. Here a cancel with at most {@link #DRAIN_LIMIT} bytes
 * outstanding (by {@code content-length}) keeps the subscription, reads the rest without handing it on, and
 * lets the connection go back to the pool when the body ends; only a cancel with more outstanding closes the
 * connection, as before. Without a {@code content-length}, or with a {@code content-encoding} (the byte count
 * would not match), every cancel closes.
 */
public final class ResponseBody {

    /** Outstanding bytes up to which a cancelled body is read to its end instead of closing the connection. */
    public static final long DRAIN_LIMIT = 64 * 1024;

    /** Told what a cancel did. Called at most once, on whatever thread cancelled. */
    @FunctionalInterface
    public interface CancelListener {
        /**
         * @param responseEnded whether the whole body had arrived when the subscriber cancelled (then the server
         *        has finished the statement: nothing to kill)
         * @param connectionKept whether the connection is read to its end and pooled again (else it is closed)
         */
        void cancelled(boolean responseEnded, boolean connectionKept);
    }

    private ResponseBody() {
    }

    /**
     * @param connection the response's connection
     * @param headers the response headers
     * @param listener told when the subscriber cancels, or {@code null}
     * @return the body's buffers (the content of each {@code HttpContent}; released by Reactor Netty after each
     *     {@code onNext})
     */
    public static Flux<ByteBuf> receive(Connection connection, HttpHeaders headers, CancelListener listener) {
        long length = headers.contains(HttpHeaderNames.CONTENT_ENCODING) ? -1
            : parseLength(headers.get(HttpHeaderNames.CONTENT_LENGTH));
        // The messages themselves (HttpContent): receive() would add a map to ByteBuf per response; Drain unwraps.
        Flux<?> body = connection.inbound().receiveObject();
        return new Flux<>() {
            @Override
            public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
                body.subscribe(new Drain(actual, length, listener));
            }
        };
    }

    private static long parseLength(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Passes buffers on until a cancel; then either drains quietly or cancels upstream. */
    private static final class Drain implements CoreSubscriber<Object>, Subscription {
        private final CoreSubscriber<? super ByteBuf> actual;
        private final long length;
        private final CancelListener listener;
        private Subscription upstream;
        private volatile long received;
        private volatile boolean cancelled;
        private volatile boolean done;

        Drain(CoreSubscriber<? super ByteBuf> actual, long length, CancelListener listener) {
            this.actual = actual;
            this.length = length;
            this.listener = listener;
        }

        @Override
        public reactor.util.context.Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            actual.onSubscribe(this);
        }

        @Override
        public void onNext(Object message) {
            ByteBuf chunk;
            if (message instanceof ByteBufHolder holder) {
                chunk = holder.content();
            } else if (message instanceof ByteBuf buffer) {
                chunk = buffer;
            } else { // Reactor Netty releases it; an HTTP response body is HttpContent
                upstream.cancel();
                onError(new IllegalStateException("unexpected message in a response body: " + message.getClass()));
                return;
            }
            received += chunk.readableBytes();
            if (!cancelled) {
                actual.onNext(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            done = true;
            if (!cancelled) {
                actual.onError(error);
            }
        }

        @Override
        public void onComplete() {
            done = true;
            if (!cancelled) {
                actual.onComplete();
            }
        }

        @Override
        public void request(long n) {
            if (!cancelled) {
                upstream.request(n);
            }
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            long outstanding = length < 0 ? Long.MAX_VALUE : length - received;
            boolean keep = outstanding <= DRAIN_LIMIT;
            if (keep) {
                upstream.request(Long.MAX_VALUE); // the rest is read and dropped; the body's end releases it
            } else {
                upstream.cancel(); // Reactor Netty closes the connection
            }
            if (listener != null) {
                listener.cancelled(outstanding == 0 || done, keep);
            }
        }
    }
}
