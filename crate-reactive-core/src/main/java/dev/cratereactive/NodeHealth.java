package dev.cratereactive;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One node's health as {@link CrateClient#health()} found it: the answer to a {@code HEAD /} probe sent just
 * now, and the client's own dead-node state. Immutable.
 */
public final class NodeHealth {

    private final Node node;
    private final boolean reachable;
    private final boolean ready;
    private final Instant deadUntil;
    private final int failures;
    private final Throwable lastFailure;

    /**
     * @param node the node
     * @param reachable whether it answered the probe with an HTTP response
     * @param ready whether it answered {@code 200} (CrateDB answers {@code 503} while the node has no master)
     * @param deadUntil until when the client skips it, or {@code null}
     * @param failures consecutive failures since the last success, zero or more
     * @param lastFailure the last failure, or {@code null}
     */
    public NodeHealth(Node node, boolean reachable, boolean ready, Instant deadUntil, int failures,
                      Throwable lastFailure) {
        this.node = Objects.requireNonNull(node, "node");
        this.reachable = reachable;
        this.ready = ready;
        this.deadUntil = deadUntil;
        this.failures = failures;
        this.lastFailure = lastFailure;
    }

    /** @return the node */
    public Node node() {
        return node;
    }

    /** @return whether the node answered {@code HEAD /} with any HTTP response within the connect timeout */
    public boolean reachable() {
        return reachable;
    }

    /** @return whether {@code HEAD /} answered {@code 200}; {@code 503} means the node has no master */
    public boolean ready() {
        return ready;
    }

    /** @return until when the client skips the node after failures; empty when it is not dead */
    public Optional<Instant> deadUntil() {
        return Optional.ofNullable(deadUntil);
    }

    /** @return consecutive failures since the last success (probe or statement) */
    public int failures() {
        return failures;
    }

    /** @return the probe's failure if it failed now, else the last failure the client recorded for the node */
    public Optional<Throwable> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    @Override
    public String toString() {
        return "NodeHealth[" + node + ", reachable=" + reachable + ", ready=" + ready
            + (deadUntil == null ? "" : ", deadUntil=" + deadUntil) + ", failures=" + failures
            + (lastFailure == null ? "" : ", lastFailure=" + lastFailure) + "]";
    }
}
