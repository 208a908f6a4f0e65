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
            return Flux.defer(() -> exchange.apply(tries.next()))
                .retryWhen(Retry.backoff(maxRetries, backoffFactor)
                    .maxBackoff(MAX_BACKOFF)
                    .jitter(0)
                    .filter(error -> tries.current().decision() != FailureClassifier.Decision.FINAL)
                    .onRetryExhaustedThrow((spec, signal) -> tries.exhausted()))
                .onErrorMap(tries::withEarlierFailures);
        });
    }

    /**
     * Runs one attempt on a given node, without failover or retry: for statements bound to one connection.
     *
     * @param node the node
     * @param repeatable whether the statement may be sent again after it reached a node (for the classifier)
     * @param exchange runs the attempt
     * @param <T> what the exchange emits
     * @return a cold publisher running it once per subscription
     */
    public <T> Flux<T> once(Node node, boolean repeatable, Function<Attempt, Flux<T>> exchange) {
        return Flux.defer(() -> exchange.apply(new Attempt(node, 1, repeatable, deadNodes,
            new CopyOnWriteArrayList<>(), ConcurrentHashMap.newKeySet())));
    }

    /** @return the node a new subscription would try first (the selector's order, dead nodes last) */
    public Node firstChoice() {
        return order().get(0);
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
