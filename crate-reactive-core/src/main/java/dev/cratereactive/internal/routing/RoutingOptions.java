package dev.cratereactive.internal.routing;

import dev.cratereactive.Node;
import dev.cratereactive.NodeSelector;
import java.time.Duration;
import java.util.List;

/**
 * Which nodes a query goes to, and how often it is tried, validated by {@code CrateClientBuilder}. Immutable.
 * No compatibility promise.
 *
 * @param nodes the nodes, never empty
 * @param nodeSelector per-query node order
 * @param maxRetries retries after the first attempt
 * @param backoffFactor the first retry delay, doubled per retry
 * @param deadNodeRetryInterval how long a failed node is skipped at first; doubles per repeated failure
 */
public record RoutingOptions(List<Node> nodes, NodeSelector nodeSelector, int maxRetries, Duration backoffFactor,
                             Duration deadNodeRetryInterval) {

    /** @param nodes the nodes; copied */
    public RoutingOptions {
        nodes = List.copyOf(nodes);
    }
}
