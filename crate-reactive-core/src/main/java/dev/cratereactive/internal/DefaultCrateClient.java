package dev.cratereactive.internal;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateClient;
import dev.cratereactive.Node;
import dev.cratereactive.Row;
import dev.cratereactive.SqlResult;
import dev.cratereactive.Statement;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The {@link CrateClient} implementation. No compatibility promise. */
public final class DefaultCrateClient implements CrateClient {

    private final ClientConfig config;

    /** @param config validated settings */
    public DefaultCrateClient(ClientConfig config) {
        this.config = config;
    }

    @Override
    public Flux<Row> sql(String sql, Object... args) {
        return sql(Statement.of(sql, args));
    }

    @Override
    public Flux<Row> sql(Statement statement) {
        return Flux.error(new UnsupportedOperationException("not implemented yet"));
    }

    @Override
    public Mono<SqlResult> execute(String sql, Object... args) {
        return execute(Statement.of(sql, args));
    }

    @Override
    public Mono<SqlResult> execute(Statement statement) {
        return Mono.error(new UnsupportedOperationException("not implemented yet"));
    }

    @Override
    public Mono<BulkResult> bulk(String sql, List<? extends List<?>> rows) {
        return Mono.error(new UnsupportedOperationException("not implemented yet"));
    }

    @Override
    public List<Node> nodes() {
        return config.nodes();
    }

    @Override
    public void close() {
    }

    @Override
    public Mono<Void> disposeLater() {
        return Mono.empty();
    }
}
