package dev.cratereactive.internal;

import dev.cratereactive.internal.routing.Attempt;
import dev.cratereactive.internal.routing.Router;
import dev.cratereactive.internal.transport.PinnedConnection;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/**
 * Where a call's requests go: the shared pool with failover across nodes, or one pinned connection (a session's)
 * where every request goes to the same node on the same TCP connection, without failover.
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

    /**
     * @param attempt the attempt the request belongs to
     * @param request the encoded request
     * @param rowsBefore rows delivered by earlier requests of the same call (cursor pages), for messages
     * @return what {@link SqlExchange#run(Attempt, SqlExchange.Request)} emits
     */
    Flux<Object> exchange(Attempt attempt, SqlExchange.Request request, long rowsBefore);

    /** The shared pool: any node, with the router's failover. */
    record Pooled(Router router, SqlExchange exchange) implements Conduit {

        @Override
        public <T> Flux<T> route(String sql, boolean repeatable, Function<Attempt, Flux<T>> work) {
            return router.route(sql, repeatable, work);
        }

        @Override
        public Flux<Object> exchange(Attempt attempt, SqlExchange.Request request, long rowsBefore) {
            return exchange.run(attempt, request);
        }
    }

    /** One pinned connection: its node only, once. */
    final class Pinned implements Conduit {

        private final Router router;
        private final SqlExchange exchange;
        private final PinnedConnection connection;
        private final HttpClient.RequestSender sender;

        Pinned(Router router, SqlExchange exchange, PinnedConnection connection) {
            this.router = router;
            this.exchange = exchange;
            this.connection = connection;
            this.sender = exchange.sender(connection.client(), connection.node());
        }

        PinnedConnection connection() {
            return connection;
        }

        @Override
        public <T> Flux<T> route(String sql, boolean repeatable, Function<Attempt, Flux<T>> work) {
            return router.once(connection.node(), work);
        }

        @Override
        public Flux<Object> exchange(Attempt attempt, SqlExchange.Request request, long rowsBefore) {
            return exchange.run(attempt, request, sender, rowsBefore)
                .onErrorMap(PinnedConnection.Lost.class, lost -> Errors.lostAfterRows(lost, rowsBefore,
                    connection.node(), request.statement()));
        }
    }
}
