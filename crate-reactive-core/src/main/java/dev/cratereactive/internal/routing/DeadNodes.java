package dev.cratereactive.internal.routing;

import dev.cratereactive.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which nodes failed recently and when they may be tried again. A failed node is skipped for the retry
 * interval (30 s by default, like the Python client), twice as long after each further failure up to
 * {@link #MAX_INTERVAL}, and forgotten on its first success. Thread-safe.
 */
public final class DeadNodes {

    /** The longest a node is skipped, however often it failed. */
    public static final Duration MAX_INTERVAL = Duration.ofMinutes(30);

    private static final Logger LOG = LoggerFactory.getLogger(DeadNodes.class);

    /**
     * @param failures consecutive failures
     * @param retryAtNanos clock value from which the node is tried again
     */
    record State(int failures, long retryAtNanos) {
    }

    private final Map<Node, State> dead = new ConcurrentHashMap<>();
    private final long intervalNanos;
    private final LongSupplier clock;

    /**
     * @param interval how long a node is skipped after its first failure
     * @param clock nanosecond time source
     */
    public DeadNodes(Duration interval, LongSupplier clock) {
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
    }

    /**
     * Records a failure of {@code node}.
     *
     * @param node the node
     * @param reason why, for the log
     */
    public void markDead(Node node, Throwable reason) {
        State state = dead.compute(node, (n, previous) -> {
            int failures = previous == null ? 1 : previous.failures() + 1;
            return new State(failures, clock.getAsLong() + skipNanos(failures));
        });
        LOG.warn("CrateDB node {} marked dead for {} ms after failure #{}: {}", node,
            skipNanos(state.failures()) / 1_000_000, state.failures(), reason.toString());
    }

    /**
     * Records a success of {@code node}: it is no longer dead.
     *
     * @param node the node
     */
    public void markAlive(Node node) {
        if (!dead.isEmpty() && dead.remove(node) != null) {
            LOG.info("CrateDB node {} is alive again", node);
        }
    }

    /**
     * @param preferred the nodes in the selector's order
     * @return the nodes to try: those not dead (or due for another try) in preferred order, then the dead ones,
     *     the one closest to revival first
     */
    public List<Node> order(List<Node> preferred) {
        if (dead.isEmpty()) {
            return preferred;
        }
        long now = clock.getAsLong();
        List<Node> alive = new ArrayList<>(preferred.size());
        List<Node> skipped = new ArrayList<>();
        for (Node node : preferred) {
            State state = dead.get(node);
            if (state == null || state.retryAtNanos() - now <= 0) {
                alive.add(node);
            } else {
                skipped.add(node);
            }
        }
        skipped.sort(Comparator.comparingLong(node -> {
            State state = dead.get(node);
            return state == null ? Long.MIN_VALUE : state.retryAtNanos() - now;
        }));
        alive.addAll(skipped);
        return alive;
    }

    /**
     * @param node a node
     * @return whether it is currently skipped
     */
    public boolean isDead(Node node) {
        State state = dead.get(node);
        return state != null && state.retryAtNanos() - clock.getAsLong() > 0;
    }

    private long skipNanos(int failures) {
        long maxNanos = MAX_INTERVAL.toNanos();
        long nanos = intervalNanos;
        for (int i = 1; i < failures && nanos < maxNanos; i++) {
            nanos *= 2;
        }
        return Math.min(nanos, maxNanos);
    }
}
