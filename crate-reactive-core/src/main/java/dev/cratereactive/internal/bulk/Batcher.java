package dev.cratereactive.internal.bulk;

import dev.cratereactive.internal.codec.RequestEncoder;
import dev.cratereactive.internal.routing.Statements;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * Cuts the source into batches by rows, encoded bytes and linger, and asks the source for items only to fill
 * them: the items it holds (in closed and open batches) plus those requested and not yet arrived never exceed
 * {@code maxRows}. Its subscriber (a {@code flatMap} with {@code maxInFlight} concurrency) asks for a batch only
 * when a request slot is free, so at most {@code maxInFlight × maxRows + maxRows} items are between the source
 * and their outcomes.
 *
 * <p>Why not {@code bufferTimeout}: it closes batches by count and time only, never before the item that would
 * take a batch over a byte budget, and its demand to the source is its own, not "what keeps the held items at
 * {@code maxRows}". All state is touched in {@link #drain()} only, which one thread at a time runs.
 *
 * <p>Single use: one subscriber.
 */
final class Batcher<T> implements Publisher<Batch<T>>, CoreSubscriber<T>, Subscription {

    private final Publisher<? extends T> source;
    private final Function<? super T, ? extends List<?>> mapper;
    private final int maxRows;
    private final long maxBytes;
    private final long lingerNanos;
    private final Scheduler timer;
    private final long emptyBodyBytes;
    private final Run run;

    private final Queue<T> arrived = new ConcurrentLinkedQueue<>();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong expiredGeneration = new AtomicLong(-1);
    private volatile Subscriber<? super Batch<T>> downstream;
    private volatile Subscription upstream;
    private volatile boolean upstreamDone;
    private volatile boolean stopped;
    private volatile boolean cancelled;

    // Touched only inside drain():
    private final ArrayDeque<Batch<T>> closed = new ArrayDeque<>();
    private Batch<T> open;
    private long held;
    private long outstanding;
    private long taken;
    private long generations;
    private Disposable lingerTask;
    private boolean terminated;
    /** The mapper failed: items still arriving are dropped, never sent. */
    private boolean refusing;

    Batcher(Publisher<? extends T> source, Function<? super T, ? extends List<?>> mapper, String sql, int maxRows,
            long maxBytes, Duration linger, Scheduler timer, Run run) {
        this.source = source;
        this.mapper = mapper;
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.lingerNanos = linger.toNanos();
        this.timer = timer;
        // The client sends every statement behind its tag comment; ids have a fixed length, so any one measures it.
        this.emptyBodyBytes = RequestEncoder.bulkBodySize(Statements.tagComment(Statements.newTagId(), null) + sql);
        this.run = run;
    }

    @Override
    public void subscribe(Subscriber<? super Batch<T>> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (downstream != null) {
            Operators.error(subscriber, new IllegalStateException("a Batcher allows one subscriber"));
            return;
        }
        downstream = subscriber;
        source.subscribe(this);
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        if (Operators.validate(upstream, subscription)) {
            upstream = subscription;
            downstream.onSubscribe(this);
            drain();
        }
    }

    @Override
    public void onNext(T item) {
        arrived.offer(item);
        drain();
    }

    @Override
    public void onError(Throwable error) {
        run.sourceFailed(error);
        upstreamDone = true;
        drain();
    }

    @Override
    public void onComplete() {
        upstreamDone = true;
        drain();
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            requested.getAndUpdate(current -> Operators.addCap(current, n));
            drain();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        drain();
    }

    /** A final error: cancel the source, drop what was not sent, complete. */
    void stop() {
        stopped = true;
        drain();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            if (!terminated) {
                step();
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void step() {
        if (halted()) {
            return;
        }
        T item;
        while ((item = arrived.poll()) != null) {
            outstanding--;
            taken++;
            if (!refusing) {
                accept(item);
            }
        }
        while (requested.get() > 0) {
            // A batch's answer stops the run before its slot asks for the next batch: seen here, not only above.
            if (halted()) {
                return;
            }
            Batch<T> batch = closed.poll();
            if (batch == null && open != null && (upstreamDone || lingerExpired(open))) {
                batch = open;
                open = null;
                disposeLinger();
            }
            if (batch == null) {
                break;
            }
            held -= batch.size();
            requested.decrementAndGet();
            downstream.onNext(batch);
        }
        if (upstreamDone && arrived.isEmpty() && open == null && closed.isEmpty()) {
            terminated = true;
            disposeLinger();
            downstream.onComplete();
            return;
        }
        long wanted = maxRows - held - outstanding;
        if (!upstreamDone && wanted > 0) {
            outstanding += wanted;
            upstream.request(wanted); // may deliver items right here: onNext queues them and this loop goes again
        }
    }

    /** @return whether the run was cancelled or stopped, in which case everything held is dropped and it ends */
    private boolean halted() {
        if (!cancelled && !stopped) {
            return false;
        }
        terminated = true;
        upstream.cancel();
        disposeLinger();
        arrived.clear();
        closed.clear();
        open = null;
        if (!cancelled) {
            downstream.onComplete();
        }
        return true;
    }

    private void accept(T item) {
        Pending<T> row;
        try {
            List<?> args = Objects.requireNonNull(mapper.apply(item), "the mapper returned null");
            row = new Pending<>(item, args, RequestEncoder.bulkRowSize(args));
        } catch (RuntimeException e) {
            // Like a source error: what was taken before is still sent.
            run.sourceFailed(new IllegalArgumentException("item " + taken + " cannot be written: " + e.getMessage(), e));
            refusing = true;
            upstreamDone = true;
            upstream.cancel();
            return;
        }
        held++;
        if (open != null && open.bytesWith(row) > maxBytes) {
            close();
        }
        if (open == null) {
            open = new Batch<>(maxRows, generations++, emptyBodyBytes);
            scheduleLinger(open.generation);
        }
        open.add(row);
        if (open.size() >= maxRows || open.bodyBytes >= maxBytes) {
            close();
        }
    }

    private void close() {
        closed.add(open);
        open = null;
        disposeLinger();
    }

    private boolean lingerExpired(Batch<T> batch) {
        return lingerNanos == 0 || expiredGeneration.get() >= batch.generation;
    }

    private void scheduleLinger(long generation) {
        if (lingerNanos > 0) {
            lingerTask = timer.schedule(() -> {
                expiredGeneration.accumulateAndGet(generation, Math::max);
                drain();
            }, lingerNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void disposeLinger() {
        if (lingerTask != null) {
            lingerTask.dispose();
            lingerTask = null;
        }
    }
}
