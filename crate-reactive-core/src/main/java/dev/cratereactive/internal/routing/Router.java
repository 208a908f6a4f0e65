package dev.cratereactive.internal.routing;

import dev.cratereactive.CrateException;
import dev.cratereactive.Node;
import dev.cratereactive.NodeSelector;
import dev.cratereactive.internal.failure.FailureClassifier;
import dev.cratereactive.internal.failure.Texts;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs a query on the nodes: asks the selector for this subscription's order (dead nodes last), tries the
 * first, and retries on the next with {@link Retry#backoff} (capped at 120 s) when the failed attempt's
 * {@link FailureClassifier} decision says so (it knows whether a retry is safe).
 */
public final class Router {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(120);

    private final List<Node> nodes;
    private final NodeSelector selector;
    private final DeadNodes deadNodes;
    private final int maxRetries;
    private final Duration backoffFactor;

    /**
     * @param nodes the configured nodes
     * @param selector per-query order
     * @param deadNodes shared dead-node state
     * @param maxRetries retries after the first attempt
     * @param backoffFactor first retry delay, doubled per retry
     */
    public Router(List<Node> nodes, NodeSelector selector, DeadNodes deadNodes, int maxRetries,
                  Duration backoffFactor) {
        this.nodes = List.copyOf(nodes);
        this.selector = selector;
        this.deadNodes = deadNodes;
        this.maxRetries = maxRetries;
        this.backoffFactor = backoffFactor;
    }

    /**
     * @param sql the statement, for messages
     * @param repeatable whether the statement may be sent again after it reached a node
     * @param exchange runs one attempt; reports progress and its classified failure on the attempt
     * @param <T> what the exchange emits
     * @return a cold publisher running the query with failover
     */
    public <T> Flux<T> route(String sql, boolean repeatable, Function<Attempt, Flux<T>> exchange) {
        return Flux.defer(() -> {
            Tries tries = new Tries(order(), sql, repeatable);
            return attempt(tries, 0, exchange).onErrorMap(tries::withEarlierFailures);
        });
    }

    /*
     * Retries with onErrorResume rather than retryWhen(Retry.backoff(..)): retryWhen puts a SerializedSubscriber
     * between the rows and the subscriber (a drain loop per row) and allocates a companion sink and five
     * RetryBackoffSpec copies per subscription, though failures are rare. The policy is Retry.backoff's: the
     * decision first, then the attempt limit, then a delay of backoffFactor * 2^retry (no jitter) capped at
     * MAX_BACKOFF, on Schedulers.parallel().
     */
    private <T> Flux<T> attempt(Tries tries, int retry, Function<Attempt, Flux<T>> exchange) {
        return Flux.defer(() -> exchange.apply(tries.next()))
            .onErrorResume(error -> {
                if (tries.current().decision() == FailureClassifier.Decision.FINAL) {
                    return Flux.error(error);
                }
                if (retry >= maxRetries) {
                    return Flux.error(tries.exhausted());
                }
                Flux<T> next = attempt(tries, retry + 1, exchange);
                Duration delay = backoff(retry);
                return delay.isZero() ? next : Mono.delay(delay).thenMany(next);
            });
    }

    private Duration backoff(int retry) {
        if (backoffFactor.isZero()) {
            return Duration.ZERO;
        }
        try {
            Duration delay = backoffFactor.multipliedBy(1L << Math.min(retry, 62));
            return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
        } catch (ArithmeticException overflow) {
            return MAX_BACKOFF;
        }
    }

    private List<Node> order() {
        List<Node> preferred = Objects.requireNonNull(selector.order(nodes), "NodeSelector returned null");
        if (preferred.size() != nodes.size() || !preferred.containsAll(nodes)) {
            throw new IllegalStateException("NodeSelector must return every configured node exactly once, returned "
                + preferred);
        }
        return deadNodes.order(preferred);
    }

    /** The attempts of one subscription. */
    private final class Tries {
        private final List<Node> order;
        private final String sql;
        private final boolean repeatable;
        private final List<CrateException> failures = new CopyOnWriteArrayList<>();
        private final Set<Node> markedDead = ConcurrentHashMap.newKeySet();
        private volatile Attempt current;
        private int count;

        Tries(List<Node> order, String sql, boolean repeatable) {
            this.order = order;
            this.sql = sql;
            this.repeatable = repeatable;
        }

        Attempt next() {
            Attempt attempt = new Attempt(order.get(count % order.size()), ++count, repeatable, deadNodes, failures,
                markedDead);
            current = attempt;
            return attempt;
        }

        Attempt current() {
            return current;
        }

        Throwable exhausted() {
            return FailureClassifier.exhausted(List.copyOf(failures), Texts.forDisplay(sql));
        }

        Throwable withEarlierFailures(Throwable error) {
            if (error instanceof CrateException && error.getSuppressed().length == 0) {
                failures.stream().filter(f -> f != error).forEach(error::addSuppressed);
            }
            return error;
        }
    }
}
