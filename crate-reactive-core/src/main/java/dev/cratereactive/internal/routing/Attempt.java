package dev.cratereactive.internal.routing;

import dev.cratereactive.Node;
import java.util.List;
import java.util.Set;

/**
 * One try of a statement on one node, and what is known about how far it got: the exchange reports it, the
 * router decides from it whether another node may be tried.
 */
public final class Attempt {

    private final Node node;
    private final int number;
    private final DeadNodes deadNodes;
    private final List<Throwable> failures;
    private final Set<Node> markedDead;
    private volatile boolean requestWritten;
    private volatile boolean resultEmitted;
    private volatile boolean nodeFailed;

    Attempt(Node node, int number, DeadNodes deadNodes, List<Throwable> failures, Set<Node> markedDead) {
        this.node = node;
        this.number = number;
        this.deadNodes = deadNodes;
        this.failures = failures;
        this.markedDead = markedDead;
    }

    /** @return the node this attempt goes to */
    public Node node() {
        return node;
    }

    /** @return 1 for the first attempt of a query, 2 for the first retry, ... */
    public int number() {
        return number;
    }

    /** The whole request was written: from now on only a repeatable statement may be sent again. */
    public void requestWritten() {
        requestWritten = true;
    }

    /** The node answered with an HTTP response of its own: it is alive. */
    public void nodeAnswered() {
        deadNodes.markAlive(node);
    }

    /** A row or result went downstream: the query can no longer be retried without duplicating data. */
    public void resultEmitted() {
        if (!resultEmitted) { // a plain read is cheaper than a volatile write per row
            resultEmitted = true;
        }
    }

    /**
     * The node itself failed (refused or reset the connection, or a proxy said it is unavailable).
     *
     * @param reason the failure, for the log
     */
    public void nodeFailed(Throwable reason) {
        nodeFailed = true;
        failures.add(reason);
        // Retries of one query on the same node (a single-node cluster) are one failure, not several.
        if (markedDead.add(node)) {
            deadNodes.markDead(node, reason);
        }
    }

    boolean mayRetry(boolean repeatable) {
        return nodeFailed && !resultEmitted && (!requestWritten || repeatable);
    }
}
