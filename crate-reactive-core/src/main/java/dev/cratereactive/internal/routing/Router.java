package dev.cratereactive.internal.routing;

import dev.cratereactive.CrateConnectionException;
import dev.cratereactive.CrateException;
import dev.cratereactive.Node;
import dev.cratereactive.NodeSelector;
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
 * first, and on a node failure retries on the next with {@link Retry#backoff} (capped at 120 s) while that
 * is safe: nothing emitted yet, and the request not yet written or the statement repeatable.
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
     * @param exchange runs one attempt; signals {@link CrateException}s and reports progress on the attempt
     * @param <T> what the exchange emits
     * @return a cold publisher running the query with failover
     */
    public <T> Flux<T> route(String sql, boolean repeatable, Function<Attempt, Flux<T>> exchange) {
        return Flux.defer(() -> {
            Tries tries = new Tries(order(), sql);
            return Flux.defer(() -> exchange.apply(tries.next()))
                .retryWhen(Retry.backoff(maxRetries, backoffFactor)
                    .maxBackoff(MAX_BACKOFF)
                    .jitter(0)
                    .filter(error -> tries.current().mayRetry(repeatable))
                    .onRetryExhaustedThrow((spec, signal) -> tries.exhausted(signal.failure())))
                .onErrorMap(error -> tries.withEarlierFailures(error));
        });
    }

    /**
     * Runs one attempt on a given node, without failover or retry: for statements bound to one connection.
     *
     * @param node the node
     * @param exchange runs the attempt
     * @param <T> what the exchange emits
     * @return a cold publisher running it once per subscription
     */
    public <T> Flux<T> once(Node node, Function<Attempt, Flux<T>> exchange) {
        return Flux.defer(() -> exchange.apply(new Attempt(node, 1, deadNodes, new CopyOnWriteArrayList<>(),
            ConcurrentHashMap.newKeySet())));
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
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private final Set<Node> markedDead = ConcurrentHashMap.newKeySet();
        private volatile Attempt current;
        private int count;

        Tries(List<Node> order, String sql) {
            this.order = order;
            this.sql = sql;
        }

        Attempt next() {
            Attempt attempt = new Attempt(order.get(count % order.size()), ++count, deadNodes, failures, markedDead);
            current = attempt;
            return attempt;
        }

        Attempt current() {
            return current;
        }

        Throwable exhausted(Throwable last) {
            StringBuilder message = new StringBuilder("No CrateDB node could run the statement: ")
                .append(count).append(count == 1 ? " attempt" : " attempts").append(" failed (");
            for (int i = 0; i < failures.size(); i++) {
                Throwable failure = failures.get(i);
                message.append(i == 0 ? "" : "; ").append(failure.getMessage());
            }
            message.append(')');
            CrateConnectionException error = new CrateConnectionException(message.toString(),
                CrateException.NO_ERROR_CODE, CrateException.NO_HTTP_STATUS, null, null, Statements.forDisplay(sql), last);
            failures.forEach(error::addSuppressed);
            return error;
        }

        Throwable withEarlierFailures(Throwable error) {
            if (error instanceof CrateConnectionException && failures.size() > 1 && error.getSuppressed().length == 0) {
                failures.stream().filter(f -> f != error).forEach(error::addSuppressed);
            }
            return error;
        }
    }
}
