package dev.cratereactive.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * A closed loop: {@code total} calls with at most {@code concurrency} in flight; each completion starts the
 * next call. The same driver runs ours and the baselines, so both pay the same for the loop itself.
 */
final class InFlight {

    private static final long TIMEOUT_SECONDS = Long.getLong("bench.inFlightTimeoutSeconds", 600);

    private InFlight() {
    }

    /**
     * @param total calls to make
     * @param concurrency calls in flight at once
     * @param expected what every call must complete with (a row or result count)
     * @param call starts call {@code i} and returns its outcome
     * @throws IllegalStateException if a call fails, completes with another value, or the loop times out
     */
    static void run(int total, int concurrency, long expected, IntFunction<CompletableFuture<Long>> call) {
        Loop loop = new Loop(total, expected, call);
        for (int i = 0; i < Math.min(concurrency, total); i++) {
            loop.next();
        }
        loop.await();
    }

    private static final class Loop {
        private final int total;
        private final long expected;
        private final IntFunction<CompletableFuture<Long>> call;
        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final CountDownLatch done = new CountDownLatch(1);

        Loop(int total, long expected, IntFunction<CompletableFuture<Long>> call) {
            this.total = total;
            this.expected = expected;
            this.call = call;
        }

        void next() {
            int i = started.getAndIncrement();
            if (i >= total) {
                return;
            }
            CompletableFuture<Long> outcome;
            try {
                outcome = call.apply(i);
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            outcome.whenComplete((value, error) -> {
                if (error != null) {
                    fail(error);
                } else if (value == null || value != expected) {
                    fail(new IllegalStateException("call " + i + " returned " + value + ", expected " + expected));
                } else if (finished.incrementAndGet() == total) {
                    done.countDown();
                } else {
                    next();
                }
            });
        }

        private void fail(Throwable error) {
            failure.compareAndSet(null, error);
            done.countDown();
        }

        void await() {
            try {
                if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("only " + finished.get() + " of " + total + " calls completed in "
                        + TIMEOUT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a call failed: " + failure.get(), failure.get());
            }
        }
    }
}
