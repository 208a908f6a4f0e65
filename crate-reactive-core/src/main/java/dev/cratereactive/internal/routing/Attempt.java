package dev.cratereactive.internal.routing;

import dev.cratereactive.CrateException;
import dev.cratereactive.Node;
import dev.cratereactive.internal.failure.FailureClassifier;
import java.util.List;
import java.util.Set;

/**
 * One try of a statement on one node, and what is known about how far it got: the exchange reports it and the
 * classified outcome of a failure; the router acts on that outcome's decision.
 */
public final class Attempt {

    private final Node node;
    private final int number;
    private final boolean repeatable;
    private final DeadNodes deadNodes;
    private final List<CrateException> failures;
    private final Set<Node> markedDead;
    private volatile boolean requestWritten;
    private volatile boolean resultEmitted;
    private volatile FailureClassifier.Decision decision = FailureClassifier.Decision.FINAL;

    Attempt(Node node, int number, boolean repeatable, DeadNodes deadNodes, List<CrateException> failures,
            Set<Node> markedDead) {
        this.node = node;
        this.number = number;
        this.repeatable = repeatable;
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

    /** @return whether the statement may be sent again after it reached a node */
    public boolean repeatable() {
        return repeatable;
    }

    /** The whole request was written: from now on only a repeatable statement may be sent again. */
    public void requestWritten() {
        requestWritten = true;
    }

    /** @return whether the whole request was written */
    public boolean isRequestWritten() {
        return requestWritten;
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
     * The attempt failed: records the outcome for the router and, when the node is to blame, marks it dead.
     *
     * @param outcome the classified failure
     * @return the exception to signal
     */
    public CrateException failed(FailureClassifier.Outcome outcome) {
        CrateException error = outcome.exception();
        failures.add(error);
        // A downstream row makes any retry unsafe, whatever the classifier was told.
        decision = resultEmitted ? FailureClassifier.Decision.FINAL : outcome.decision();
        // Retries of one query on the same node (a single-node cluster) are one failure, not several.
        if (outcome.nodeFailed() && markedDead.add(node)) {
            deadNodes.markDead(node, error);
        }
        return error;
    }

    FailureClassifier.Decision decision() {
        return decision;
    }
}
