package dev.cratereactive.internal;

import dev.cratereactive.internal.routing.Attempt;
import dev.cratereactive.internal.routing.Router;
import dev.cratereactive.internal.transport.PinnedConnection;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * Where a call's requests go: the shared pool with failover across nodes, or one pinned connection (a session's)
 * where every request goes to the same node on the same TCP connection, once, without failover.
 */
sealed interface Conduit {

    /**
     * @param sql the statement, for messages
     * @param repeatable whether it may be sent again after it reached a node
     * @param work runs one attempt
     * @param <T> what the attempt emits
     * @return the call, with failover where this conduit allows it
     */
    <T> Flux<T> route(String sql, boolean repeatable, Function<Attempt, Flux<T>> work);

    /** @return the exchange that sends this conduit's requests */
    SqlExchange exchange();

    /** The shared pool: any node, with the router's failover. */
    record Pooled(Router router, SqlExchange exchange) implements Conduit {

        @Override
        public <T> Flux<T> route(String sql, boolean repeatable, Function<Attempt, Flux<T>> work) {
            return router.route(sql, repeatable, work);
        }
    }

    /**
     * One pinned connection: its node only, once.
     *
     * @param router for the attempt (dead-node bookkeeping)
     * @param exchange an exchange bound to the connection ({@link SqlExchange#on(PinnedConnection)})
     * @param connection the connection
     */
    record Pinned(Router router, SqlExchange exchange, PinnedConnection connection) implements Conduit {

        @Override
        public <T> Flux<T> route(String sql, boolean repeatable, Function<Attempt, Flux<T>> work) {
            return router.once(connection.node(), repeatable, work);
        }
    }
}
