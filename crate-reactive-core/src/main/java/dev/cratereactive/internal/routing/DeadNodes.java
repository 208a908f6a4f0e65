package dev.cratereactive.internal.routing;

import dev.cratereactive.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which nodes failed recently and when they may be tried again. A failed node is skipped for the retry
 * interval (30 s by default, like the Python client), twice as long after each further failure up to
 * {@link #MAX_INTERVAL}, and forgotten on its first success. With a {@link #reviveWith prober}, a node whose
 * time is up is not given a user's statement: it stays last until the prober's {@code HEAD /} brings it back.
 * Thread-safe.
 */
public final class DeadNodes {

    /** The longest a node is skipped, however often it failed. */
    public static final Duration MAX_INTERVAL = Duration.ofMinutes(30);

    private static final Logger LOG = LoggerFactory.getLogger(DeadNodes.class);

    /**
     * @param failures consecutive failures
     * @param retryAtNanos clock value from which the node is tried again
     * @param lastFailure the last failure
     */
    record State(int failures, long retryAtNanos, Throwable lastFailure) {
    }

    /**
     * A node's dead-node state for {@code health()}.
     *
     * @param failures consecutive failures
     * @param remaining how long it is still skipped, zero when its time is up
     * @param lastFailure the last failure
     */
    public record Snapshot(int failures, Duration remaining, Throwable lastFailure) {
    }

    private final Map<Node, State> dead = new ConcurrentHashMap<>();
    private final Set<Node> probing = ConcurrentHashMap.newKeySet();
    private final long intervalNanos;
    private final LongSupplier clock;
    private volatile Consumer<Node> prober;
    private volatile Consumer<Node> onDead = node -> { };

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
        boolean[] wasAlive = new boolean[1];
        State state = dead.compute(node, (n, previous) -> {
            wasAlive[0] = previous == null;
            int failures = previous == null ? 1 : previous.failures() + 1;
            return new State(failures, clock.getAsLong() + skipNanos(failures), reason);
        });
        if (wasAlive[0]) {
            onDead.accept(node);
        }
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
        Consumer<Node> revive = prober;
        for (Node node : preferred) {
            State state = dead.get(node);
            if (state == null || revive == null && state.retryAtNanos() - now <= 0) {
                alive.add(node);
            } else {
                skipped.add(node);
                if (revive != null && state.retryAtNanos() - now <= 0 && probing.add(node)) {
                    revive.accept(node);
                }
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
     * @return whether it is currently skipped: its time is not up, or (with a {@link #reviveWith prober}) no probe
     *     has brought it back yet
     */
    public boolean isDead(Node node) {
        State state = dead.get(node);
        return state != null && (prober != null || state.retryAtNanos() - clock.getAsLong() > 0);
    }

    /**
     * From now on, a dead node whose time is up is handed to {@code prober} (once until {@link #probed}) instead
     * of being tried with a user's statement.
     *
     * @param prober starts a {@code HEAD /} probe; must not block
     */
    public void reviveWith(Consumer<Node> prober) {
        this.prober = prober;
    }

    /**
     * A probe of {@code node} ended.
     *
     * @param node the node
     * @param failure why it failed, or {@code null} when the node answered
     */
    public void probed(Node node, Throwable failure) {
        if (failure == null) {
            markAlive(node);
        } else {
            markDead(node, failure);
        }
        probing.remove(node);
    }

    /** @param listener told of every node that goes from alive to dead */
    public void onDead(Consumer<Node> listener) {
        this.onDead = listener;
    }

    /**
     * @param node a node
     * @return its dead-node state, or {@code null} when it is alive
     */
    public Snapshot snapshot(Node node) {
        State state = dead.get(node);
        if (state == null) {
            return null;
        }
        long remaining = state.retryAtNanos() - clock.getAsLong();
        return new Snapshot(state.failures(), Duration.ofNanos(Math.max(0, remaining)), state.lastFailure());
    }

    /**
     * @param nodes the nodes in use
     * @return how many of them are skipped now
     */
    public int countDead(List<Node> nodes) {
        int count = 0;
        for (Node node : nodes) {
            if (isDead(node)) {
                count++;
            }
        }
        return count;
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
