package dev.cratereactive.internal;

import dev.cratereactive.internal.routing.Attempt;
import dev.cratereactive.internal.routing.Call;
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
     * @param call the statement, whether it may be repeated, its deadline and what cancels it on the server
     * @param work runs one attempt
     * @param <T> what the attempt emits
     * @return the call, with failover where this conduit allows it
     */
    <T> Flux<T> route(Call call, Function<Attempt, Flux<T>> work);

    /** @return the exchange that sends this conduit's requests */
    SqlExchange exchange();

    /** The shared pool: any node, with the router's failover. */
    record Pooled(Router router, SqlExchange exchange) implements Conduit {

        @Override
        public <T> Flux<T> route(Call call, Function<Attempt, Flux<T>> work) {
            return router.route(call, work);
        }
    }

    /**
     * One pinned connection: its node only, once, without failover; the call's deadline and server-side kill
     * apply as on the pool (closing the connection does not stop a statement running on the server).
     *
     * @param router for the attempt (dead-node bookkeeping)
     * @param exchange an exchange bound to the connection ({@link SqlExchange#on(PinnedConnection)})
     * @param connection the connection
     */
    record Pinned(Router router, SqlExchange exchange, PinnedConnection connection) implements Conduit {

        @Override
        public <T> Flux<T> route(Call call, Function<Attempt, Flux<T>> work) {
            return router.pinned(connection.node(), call, work);
        }
    }
}
