package dev.cratereactive;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides in which order one query tries the nodes. It is asked once per subscription; the client then moves
 * nodes that are currently marked dead to the end (the one closest to revival first), and retries walk the
 * resulting order.
 *
 * <p>Implementations must be thread-safe and fast: they run on every query.
 */
@FunctionalInterface
public interface NodeSelector {

    /**
     * @param nodes every configured node, in configuration order; never empty, must not be modified
     * @return the same nodes in the order this query should try them (may omit none)
     */
    List<Node> order(List<Node> nodes);

    /**
     * Round-robin: each call starts one node further along, so load spreads evenly. The default.
     *
     * @return a new selector with its own position
     */
    static NodeSelector roundRobin() {
        AtomicInteger next = new AtomicInteger();
        return nodes -> {
            if (nodes.size() == 1) {
                return nodes;
            }
            List<Node> rotated = new ArrayList<>(nodes);
            Collections.rotate(rotated, -Math.floorMod(next.getAndIncrement(), nodes.size()));
            return rotated;
        };
    }

    /**
     * Always the configured order: the first node takes all queries while it is alive, the others are
     * fall-backs.
     *
     * @return a selector that keeps the configured order
     */
    static NodeSelector inOrder() {
        return nodes -> nodes;
    }
}
