package dev.cratereactive.internal.routing;

import dev.cratereactive.CrateException;
import dev.cratereactive.CrateTimeoutException;
import dev.cratereactive.Node;
import dev.cratereactive.NodeSelector;
import dev.cratereactive.internal.failure.FailureClassifier;
import dev.cratereactive.internal.failure.Texts;
import dev.cratereactive.internal.observe.Instrumentation;
import dev.cratereactive.internal.observe.Instrumentation.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * Runs a query on the nodes: asks the selector for this subscription's order (dead nodes last), tries the
 * first, and retries on the next with {@link Retry#backoff} (capped at 120 s) when the failed attempt's
 * {@link FailureClassifier} decision says so (it knows whether a retry is safe). It also holds the call's
 * deadline, starts the server-side kill on cancel, and reports calls and attempts to the instrumentation.
 */
public final class Router {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(120);

    private volatile List<Node> nodes;
    private final NodeSelector selector;
    private final DeadNodes deadNodes;
    /** The retry policy without the per-call hooks; specs are immutable, so it is built once. */
    private final RetryBackoffSpec backoff;
    private final Instrumentation instrumentation;

    /**
     * @param nodes the configured nodes
     * @param selector per-query order
     * @param deadNodes shared dead-node state
     * @param maxRetries retries after the first attempt
     * @param backoffFactor first retry delay, doubled per retry
     * @param instrumentation where calls, attempts and retries are reported
     */
    public Router(List<Node> nodes, NodeSelector selector, DeadNodes deadNodes, int maxRetries,
                  Duration backoffFactor, Instrumentation instrumentation) {
        this.nodes = List.copyOf(nodes);
        this.selector = selector;
        this.deadNodes = deadNodes;
        this.backoff = Retry.backoff(maxRetries, backoffFactor).maxBackoff(MAX_BACKOFF).jitter(0);
        this.instrumentation = instrumentation;
    }

    /** @return the nodes in use now */
    public List<Node> nodes() {
        return nodes;
    }

    /**
     * Replaces the node list (discovery); calls already running keep the order they started with.
     *
     * @param updated the new list, not empty
     */
    public void updateNodes(List<Node> updated) {
        if (updated.isEmpty()) {
            throw new IllegalArgumentException("the node list must not be empty");
        }
        this.nodes = List.copyOf(updated);
    }

    /**
     * @param call what the call is
     * @param exchange runs one attempt; signals {@link CrateException}s and reports progress on the attempt
     * @param <T> what the exchange emits
     * @return a cold publisher running the query with failover
     */
    public <T> Flux<T> route(Call call, Function<Attempt, Flux<T>> exchange) {
        return Flux.defer(() -> guarded(call, order(), true, exchange));
    }

    /**
     * Runs a call once on the node of a pinned connection (a session's statement, a cursor declared in a
     * session): no failover and no retry, but the call's deadline, its server-side kill on cancel and the
     * instrumentation as for {@link #route}.
     *
     * @param node the pinned connection's node
     * @param call what the call is
     * @param exchange runs the attempt
     * @param <T> what the exchange emits
     * @return a cold publisher running it once per subscription
     */
    public <T> Flux<T> pinned(Node node, Call call, Function<Attempt, Flux<T>> exchange) {
        return Flux.defer(() -> guarded(call, List.of(node), false, exchange));
    }

    private <T> Flux<T> guarded(Call call, List<Node> order, boolean failover, Function<Attempt, Flux<T>> exchange) {
        Tries tries = new Tries(order, call, instrumentation.call(call.operation(), call.sql(),
            call.parentObservation()));
        Flux<T> attempt = Flux.defer(() -> observed(tries.next(), exchange));
        // Most calls succeed on the first attempt: one onErrorResume is all they pay for; retryWhen (its
        // subscriber, companion sink and spec copies) is assembled on the first failure.
        Flux<T> flux = failover ? attempt.onErrorResume(failure -> retried(attempt, failure, tries)) : attempt;
        if (call.killer() != null) {
            flux = flux.doOnCancel(() -> {
                Attempt current = tries.current();
                if (current != null && current.mayRunOnServer()) {
                    call.killer().accept(current.node());
                }
            });
        }
        if (call.deadline() != null) {
            flux = withDeadline(flux, call, tries);
        }
        if (instrumentation.enabled()) {
            flux = flux.doOnError(error -> tries.end(Outcome.ERROR, error))
                .doOnComplete(() -> tries.end(Outcome.SUCCESS, null))
                .doOnCancel(() -> tries.end(Outcome.CANCELLED, null));
        }
        return flux;
    }

    /**
     * Runs one attempt on one given node, without retries or instrumentation (the server-side kill).
     *
     * @param node the node
     * @param exchange runs the attempt
     * @param <T> what the exchange emits
     * @return a cold publisher
     */
    public <T> Flux<T> once(Node node, Function<Attempt, Flux<T>> exchange) {
        return Flux.defer(() -> exchange.apply(new Attempt(node, 1, false, deadNodes, new Failures(),
            Instrumentation.AttemptObserver.NONE)));
    }

    /** @return the node a new subscription would try first (the selector's order, dead nodes last) */
    public Node firstChoice() {
        return order().get(0);
    }

    /**
     * @param attempt subscribes the next attempt
     * @param failure the first attempt's failure
     * @param tries the call's attempts
     * @return the failure when it is final, else the retries, driven by {@link Retry#backoff} exactly as if it
     *     had been in place from the start (the first failure is replayed to it, so its counts are the same)
     */
    private <T> Flux<T> retried(Flux<T> attempt, Throwable failure, Tries tries) {
        if (tries.current().decision() == FailureClassifier.Decision.FINAL) {
            return Flux.error(tries.withEarlierFailures(failure));
        }
        AtomicBoolean replayed = new AtomicBoolean();
        return Flux.defer(() -> replayed.getAndSet(true) ? attempt : Flux.<T>error(failure))
            .retryWhen(backoff
                .filter(error -> tries.current().decision() != FailureClassifier.Decision.FINAL)
                .doBeforeRetry(signal -> tries.backingOff(signal.failure()))
                .onRetryExhaustedThrow((spec, signal) -> tries.exhausted()))
            .onErrorMap(tries::withEarlierFailures);
    }

    private <T> Flux<T> observed(Attempt attempt, Function<Attempt, Flux<T>> exchange) {
        Flux<T> flux = exchange.apply(attempt);
        if (!instrumentation.enabled()) {
            return flux;
        }
        return flux.doOnError(error -> attempt.ended(Outcome.ERROR, error))
            .doOnComplete(() -> attempt.ended(Outcome.SUCCESS, null))
            .doOnCancel(() -> attempt.ended(Outcome.CANCELLED, null));
    }

    private static <T> Flux<T> withDeadline(Flux<T> flux, Call call, Tries tries) {
        AtomicBoolean passed = new AtomicBoolean();
        // takeUntilOther cancels the call (which kills the server job) and completes; the error follows.
        return flux.takeUntilOther(Mono.delay(call.deadline()).doOnNext(tick -> passed.set(true)))
            .concatWith(Mono.defer(() -> passed.get() ? Mono.error(tries.deadlinePassed()) : Mono.empty()));
    }

    private List<Node> order() {
        List<Node> current = nodes;
        List<Node> preferred = Objects.requireNonNull(selector.order(current), "NodeSelector returned null");
        if (preferred.size() != current.size() || !preferred.containsAll(current)) {
            throw new IllegalStateException("NodeSelector must return every configured node exactly once, returned "
                + preferred);
        }
        return deadNodes.order(preferred);
    }

    /** The attempts of one subscription. */
    private final class Tries {
        private final List<Node> order;
        private final Call call;
        private final Instrumentation.CallObserver observer;
        private final Failures failures = new Failures();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile Attempt current;
        private volatile Throwable backingOffAfter;
        private int count;

        Tries(List<Node> order, Call call, Instrumentation.CallObserver observer) {
            this.order = order;
            this.call = call;
            this.observer = observer;
        }

        Attempt next() {
            Node node = order.get(count % order.size());
            ++count;
            Attempt attempt = new Attempt(node, count, call.repeatable(), deadNodes, failures,
                observer.attempt(node, count));
            backingOffAfter = null;
            current = attempt;
            return attempt;
        }

        Attempt current() {
            return current;
        }

        void backingOff(Throwable failure) {
            backingOffAfter = failure;
            instrumentation.retried(current.node(), call.operation());
        }

        void end(Outcome outcome, Throwable error) {
            if (ended.compareAndSet(false, true)) {
                Attempt last = current;
                observer.end(outcome, error, last == null ? null : last.node(), last == null ? 0 : last.rows());
            }
        }

        Throwable deadlinePassed() {
            Attempt last = current;
            Throwable failure = backingOffAfter;
            String pending;
            if (last == null) {
                pending = "the first attempt to start";
            } else if (failure != null) {
                pending = "the backoff before attempt " + (count + 1) + " (attempt " + count + " on " + last.node()
                    + " failed: " + failure.getMessage() + ")";
            } else {
                pending = last.pending();
            }
            String message = "Deadline of " + call.deadline().toMillis() + " ms passed after " + count
                + (count == 1 ? " attempt" : " attempts") + " while waiting for " + pending
                + (call.killer() != null && last != null && last.mayRunOnServer() ? "; the server job is being killed"
                : "");
            CrateTimeoutException error = new CrateTimeoutException(message, CrateException.NO_ERROR_CODE,
                CrateException.NO_HTTP_STATUS, null, last == null ? null : last.node(),
                Texts.forDisplay(call.sql()), null, false, last != null && last.mayRunOnServer());
            failures.list().forEach(error::addSuppressed);
            return error;
        }

        Throwable exhausted() {
            return FailureClassifier.exhausted(failures.list(), Texts.forDisplay(call.sql()));
        }

        Throwable withEarlierFailures(Throwable error) {
            if (error instanceof CrateException && error.getSuppressed().length == 0) {
                failures.list().stream().filter(f -> f != error).forEach(error::addSuppressed);
            }
            return error;
        }
    }
}
