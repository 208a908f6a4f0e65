package dev.cratereactive.internal;

import dev.cratereactive.Row;
import dev.cratereactive.internal.codec.ResponseDecoder;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The rows of one response body, decoded as its chunks arrive: one operator from the body's buffers to rows where
 * {@code map(feed)}, {@code concatMapIterable} and {@code concatWith(end)} were three, each with its own
 * subscriber and queue per response. It asks for one chunk at a time, the next once the rows of the previous one
 * went downstream (the prefetch of one chunk that {@code concatMapIterable} had; completion needs no demand, so
 * the body is read on to its end), and when the body ended it runs
 * the end check (the rest of the response, CrateDB's error object) before it completes. A failure is signalled at
 * once, without the rows of the chunk still waiting; a cancel goes to the body, which decides whether the
 * connection is kept.
 */
final class BodyRows extends Flux<Row> {

    /** Told about each chunk once it is decoded. */
    @FunctionalInterface
    interface Tally {
        /**
         * @param bytes the chunk's length
         * @param rows the rows decoded from it
         */
        void decoded(int bytes, List<Row> rows);
    }

    /** Runs when the body ended, before completion; throws to fail the rows instead. */
    @FunctionalInterface
    interface EndCheck {
        void check();
    }

    private final Flux<ByteBuf> body;
    private final ResponseDecoder decoder;
    private final Tally tally;
    private final EndCheck end;

    /**
     * @param body the response body's buffers (released by their publisher after each {@code onNext})
     * @param decoder the response's decoder
     * @param tally told about each decoded chunk
     * @param end run when the body ended, or {@code null} to complete without a check
     */
    BodyRows(Flux<ByteBuf> body, ResponseDecoder decoder, Tally tally, EndCheck end) {
        this.body = body;
        this.decoder = decoder;
        this.tally = tally;
        this.end = end;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Row> actual) {
        body.subscribe(new Decoding(actual, decoder, tally, end));
    }

    private static final class Decoding implements CoreSubscriber<ByteBuf>, Subscription {

        private static final AtomicIntegerFieldUpdater<Decoding> WIP =
            AtomicIntegerFieldUpdater.newUpdater(Decoding.class, "wip");
        private static final AtomicLongFieldUpdater<Decoding> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(Decoding.class, "requested");

        private final CoreSubscriber<? super Row> actual;
        private final ResponseDecoder decoder;
        private final Tally tally;
        private final EndCheck end;
        private Subscription upstream;
        /** The rows of the chunk being emitted, and the next one to emit: touched by the drain loop only. */
        private List<Row> rows = List.of();
        private int index;
        /** Whether a chunk was asked for and has not arrived (one at a time): touched by the drain loop only. */
        private boolean chunkRequested;
        /** A decoded chunk's rows waiting for the drain loop; at most one, as one chunk is asked for at a time. */
        private volatile List<Row> arrived;
        private Throwable error;
        private volatile boolean done;
        private volatile boolean cancelled;
        private volatile int wip;
        private volatile long requested;

        Decoding(CoreSubscriber<? super Row> actual, ResponseDecoder decoder, Tally tally, EndCheck end) {
            this.actual = actual;
            this.decoder = decoder;
            this.tally = tally;
            this.end = end;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
                drain(); // asks for the first chunk
            }
        }

        @Override
        public void onNext(ByteBuf chunk) {
            if (done || cancelled) {
                return;
            }
            List<Row> decoded;
            try {
                // The decoder copies what it needs; the buffer is released by the body's publisher after this.
                decoded = decoder.feed(chunk);
                tally.decoded(chunk.readableBytes(), decoded);
            } catch (RuntimeException e) {
                upstream.cancel();
                onError(e);
                return;
            }
            arrived = decoded;
            drain();
        }

        @Override
        public void onError(Throwable failure) {
            if (done) {
                Operators.onErrorDropped(failure, actual.currentContext());
                return;
            }
            error = failure;
            done = true;
            drain();
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            drain();
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(REQUESTED, this, n);
                drain();
            }
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                upstream.cancel();
            }
        }

        private void drain() {
            if (WIP.getAndIncrement(this) != 0) {
                return;
            }
            int missed = 1;
            for (;;) {
                long wanted = requested;
                long emitted = 0;
                for (;;) {
                    if (cancelled) {
                        rows = List.of();
                        arrived = null;
                        return;
                    }
                    if (index < rows.size()) {
                        if (emitted == wanted) {
                            break;
                        }
                        actual.onNext(rows.get(index++));
                        emitted++;
                        continue;
                    }
                    boolean ended = done; // read before arrived: a chunk's rows are published before the end
                    List<Row> next = arrived;
                    if (next != null) {
                        arrived = null;
                        rows = next;
                        index = 0;
                        chunkRequested = false;
                        continue;
                    }
                    if (ended) {
                        terminate();
                        return;
                    }
                    if (!chunkRequested) {
                        chunkRequested = true;
                        upstream.request(1); // may deliver the chunk right here; the loop picks it up
                        continue;
                    }
                    break;
                }
                if (emitted != 0 && wanted != Long.MAX_VALUE) {
                    REQUESTED.addAndGet(this, -emitted);
                }
                missed = WIP.addAndGet(this, -missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void terminate() {
            cancelled = true; // nothing more goes downstream, and a later drain() stops at once
            rows = List.of();
            Throwable failure = error;
            if (failure == null && end != null) {
                try {
                    end.check();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                actual.onError(failure);
            } else {
                actual.onComplete();
            }
        }
    }
}
