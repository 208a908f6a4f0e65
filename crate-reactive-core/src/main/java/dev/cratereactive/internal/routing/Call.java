package dev.cratereactive.internal.routing;

import dev.cratereactive.Node;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What the router needs to know about one call besides the exchange.
 *
 * @param sql the statement as the user wrote it, for messages and traces (no parameter values)
 * @param operation the statement's first keyword, for metrics and traces
 * @param repeatable whether the statement may be sent again after it reached a node
 * @param deadline the deadline counted from subscription, or {@code null} for none
 * @param killer called with the node when the call is cancelled (or its deadline passes) while the statement may
 *     run there, or {@code null} to leave the server alone; must not block
 * @param parentObservation the caller's current Micrometer observation, or {@code null}
 */
public record Call(String sql, String operation, boolean repeatable, Duration deadline, Consumer<Node> killer,
                   Object parentObservation) {

    /**
     * @param sql a statement the client sends for itself (cursor steps): no deadline, no kill, no observation
     * @param repeatable whether it may be sent again after it reached a node
     * @return the call
     */
    public static Call of(String sql, boolean repeatable) {
        return new Call(sql, Statements.operation(sql), repeatable, null, null, null);
    }
}
