package dev.cratereactive.internal.routing;

import dev.cratereactive.CrateException;
import dev.cratereactive.Node;
import dev.cratereactive.internal.failure.FailureClassifier;
import dev.cratereactive.internal.observe.Instrumentation;

/**
 * One try of a statement on one node, and what is known about how far it got: the exchange reports it and the
 * classified outcome of a failure; the router acts on that outcome's decision, and learns from the phase whether
 * a cancel must kill a server job and what a passed deadline was waiting for.
 */
public final class Attempt {

    /** How far an attempt got, in order. */
    enum Phase {
        /** Waiting for a pooled connection or connecting. */
        CONNECTING,
        /** Connected, writing the request. */
        SENDING,
        /** Request written, no response yet: the statement runs on the server. */
        WAITING,
        /** Response headers arrived: CrateDB had built the whole response, its job has ended. */
        READING
    }

    private final Node node;
    private final int number;
    private final boolean repeatable;
    private final DeadNodes deadNodes;
    private final Failures failures;
    private final Instrumentation.AttemptObserver observer;
    private volatile Phase phase = Phase.CONNECTING;
    private volatile boolean requestWritten;
    private volatile boolean resultEmitted;
    private volatile FailureClassifier.Decision decision = FailureClassifier.Decision.FINAL;
    private volatile long rows;
    private long bytesSent;
    private long bytesReceived;
    private volatile boolean ended;

    Attempt(Node node, int number, boolean repeatable, DeadNodes deadNodes, Failures failures,
            Instrumentation.AttemptObserver observer) {
        this.node = node;
        this.number = number;
        this.repeatable = repeatable;
        this.deadNodes = deadNodes;
        this.failures = failures;
        this.observer = observer;
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

    /**
     * A connection is ready and the request is being written.
     *
     * @param bytes the request body's length on the wire
     */
    public void sending(int bytes) {
        phase = Phase.SENDING;
        bytesSent += bytes;
    }

    /** The whole request was written: from now on only a repeatable statement may be sent again. */
    public void requestWritten() {
        requestWritten = true;
        phase = Phase.WAITING;
    }

    /** @return whether the whole request was written */
    public boolean isRequestWritten() {
        return requestWritten;
    }

    /** The node answered with an HTTP response of its own: it is alive. */
    public void nodeAnswered() {
        deadNodes.markAlive(node);
    }

    /** The response status line and headers arrived. */
    public void responseStarted() {
        phase = Phase.READING;
    }

    /**
     * Rows or a result went downstream: the query can no longer be retried without duplicating data.
     *
     * @param count rows decoded from the last chunk
     */
    public void resultEmitted(int count) {
        rows += count;
        if (!resultEmitted) { // a plain read is cheaper than a volatile write per chunk
            resultEmitted = true;
        }
    }

    /** @param bytes response body bytes read */
    public void received(int bytes) {
        bytesReceived += bytes;
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
        if (outcome.nodeFailed() && failures.markDead(node)) {
            deadNodes.markDead(node, error);
        }
        return error;
    }

    FailureClassifier.Decision decision() {
        return decision;
    }

    /** @return whether the statement may be running on the server now: sent (in part or whole), not answered */
    boolean mayRunOnServer() {
        Phase now = phase;
        return now == Phase.SENDING || now == Phase.WAITING;
    }

    /** @return rows decoded so far */
    long rows() {
        return rows;
    }

    /** @return what this attempt waits for, for a deadline's message */
    String pending() {
        return switch (phase) {
            case CONNECTING -> "a connection to " + node + " (pool acquire or connect)";
            case SENDING -> "sending the request to " + node;
            case WAITING -> "the response of " + node + " (the statement was sent and runs there)";
            case READING -> "the rest of the response of " + node + " (" + rows + " rows so far)";
        };
    }

    void ended(Instrumentation.Outcome outcome, Throwable error) {
        if (ended) {
            return;
        }
        ended = true;
        observer.end(outcome, error, bytesSent, bytesReceived);
    }
}
