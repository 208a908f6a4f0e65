package dev.cratereactive.internal;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateSession;
import dev.cratereactive.Row;
import dev.cratereactive.SqlResult;
import dev.cratereactive.Statement;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A {@link CrateSession} on one pinned connection; {@link #close()} closes the connection. */
final class DefaultCrateSession implements CrateSession {

    private final DefaultCrateClient client;
    private final Conduit.Pinned conduit;

    DefaultCrateSession(DefaultCrateClient client, Conduit.Pinned conduit) {
        this.client = client;
        this.conduit = conduit;
    }

    @Override
    public Flux<Row> sql(Statement statement) {
        return client.query(statement, conduit);
    }

    @Override
    public Mono<SqlResult> execute(Statement statement) {
        Objects.requireNonNull(statement, "statement");
        return client.execute(conduit, statement);
    }

    @Override
    public Mono<BulkResult> bulk(String sql, List<? extends List<?>> rows) {
        return client.bulk(conduit, sql, rows);
    }

    /** @return closes the connection, ending the server session with its settings and cursors */
    Mono<Void> close() {
        return client.transport().release(conduit.connection());
    }

    @Override
    public String toString() {
        return "CrateSession[" + conduit.connection().node() + "]";
    }
}
