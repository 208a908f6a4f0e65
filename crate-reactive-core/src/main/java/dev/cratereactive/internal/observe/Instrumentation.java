package dev.cratereactive.internal.observe;

import dev.cratereactive.CrateException;
import dev.cratereactive.Node;
import dev.cratereactive.internal.OperabilityOptions;
import java.util.function.IntSupplier;
import reactor.netty.resources.ConnectionProvider;

/**
 * What the client reports about its work: calls, attempts, retries, dead nodes and kills. The one seam between
 * the client and Micrometer: {@link #NONE} when neither a meter registry nor an observation registry is set, so
 * no Micrometer class is loaded then. No compatibility promise.
 */
public interface Instrumentation {

    /** Reports nothing. */
    Instrumentation NONE = new Instrumentation() {
    };

    /** How a call or an attempt ended; the tag value is {@link #tag()}. */
    enum Outcome {
        /** Completed. */
        SUCCESS("success"),
        /** Failed. */
        ERROR("error"),
        /** Cancelled by the subscriber. */
        CANCELLED("cancelled");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }

        /** @return the tag value */
        public String tag() {
            return tag;
        }
    }

    /** What became of a server-side kill. */
    enum KillResult {
        /** The job was found and {@code KILL} answered. */
        KILLED("killed"),
        /** No running job carried the tag (it had ended). */
        NOT_FOUND("not_found"),
        /** The lookup or the {@code KILL} failed or took too long. */
        FAILED("failed");

        private final String tag;

        KillResult(String tag) {
            this.tag = tag;
        }

        /** @return the tag value */
        public String tag() {
            return tag;
        }
    }

    /**
     * @param options the client's options
     * @param clientName the client's name, {@code crate-reactive-<n>} (its pool's name); tags its gauge
     * @param deadNodes how many nodes are dead now (for a gauge)
     * @return instrumentation for the registries set in {@code options}, or {@link #NONE}
     */
    static Instrumentation create(OperabilityOptions options, String clientName, IntSupplier deadNodes) {
        Instrumentation metrics = options.meterRegistry() == null ? NONE
            : MeterInstrumentation.create(options.meterRegistry(), clientName, deadNodes);
        Instrumentation traces = options.observationRegistry() == null ? NONE
            : ObservationInstrumentation.create(options.observationRegistry());
        return metrics == NONE ? traces : traces == NONE ? metrics : new CompositeInstrumentation(metrics, traces);
    }

    /**
     * @param operation the statement's first keyword
     * @param sql the statement as the user wrote it (no parameter values)
     * @param parent the caller's current observation from the Reactor context, or {@code null}
     * @return the observer of this call
     */
    default CallObserver call(String operation, String sql, Object parent) {
        return CallObserver.NONE;
    }

    /**
     * @param failed the node whose attempt failed
     * @param operation the statement's first keyword
     */
    default void retried(Node failed, String operation) {
    }

    /** @param node a node that went from alive to dead */
    default void nodeDead(Node node) {
    }

    /**
     * @param node the node the kill went to
     * @param result what became of it
     */
    default void killed(Node node, KillResult result) {
    }

    /** @return the connection pool's metrics registrar, or {@code null} for no pool metrics */
    default ConnectionProvider.MeterRegistrar poolMetrics() {
        return null;
    }

    /** Removes what belongs to this client alone from the registries (its gauge); the client is closed. */
    default void close() {
    }

    /** @return whether anything is reported (callers skip bookkeeping otherwise) */
    default boolean enabled() {
        return this != NONE;
    }

    /** One call (one subscription), possibly several attempts. */
    interface CallObserver {
        /** Observes nothing. */
        CallObserver NONE = new CallObserver() {
        };

        /**
         * @param node the node tried
         * @param number 1 for the first attempt
         * @return the observer of this attempt
         */
        default AttemptObserver attempt(Node node, int number) {
            return AttemptObserver.NONE;
        }

        /**
         * @param outcome how it ended
         * @param error the failure, or {@code null}
         * @param node the last node tried, or {@code null}
         * @param rows rows emitted
         */
        default void end(Outcome outcome, Throwable error, Node node, long rows) {
        }
    }

    /** One attempt on one node. */
    @FunctionalInterface
    interface AttemptObserver {
        /** Observes nothing. */
        AttemptObserver NONE = (outcome, error, bytesSent, bytesReceived) -> { };

        /**
         * @param outcome how it ended
         * @param error the failure, or {@code null}
         * @param bytesSent request body bytes written
         * @param bytesReceived response body bytes read
         */
        void end(Outcome outcome, Throwable error, long bytesSent, long bytesReceived);
    }

    /**
     * @param error a failure, or {@code null}
     * @return CrateDB's error code as text, or {@code none}
     */
    static String errorCode(Throwable error) {
        return error instanceof CrateException crate && crate.errorCode() != CrateException.NO_ERROR_CODE
            ? Integer.toString(crate.errorCode()) : "none";
    }
}
