package dev.cratereactive.internal;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateSession;
import dev.cratereactive.Node;
import dev.cratereactive.Row;
import dev.cratereactive.SqlResult;
import dev.cratereactive.Statement;
import dev.cratereactive.internal.codec.RequestBody;
import dev.cratereactive.internal.codec.RequestEncoder;
import dev.cratereactive.internal.routing.Attempt;
import dev.cratereactive.internal.routing.DeadNodes;
import dev.cratereactive.internal.routing.Router;
import dev.cratereactive.internal.routing.RoutingOptions;
import dev.cratereactive.internal.routing.Statements;
import dev.cratereactive.internal.transport.PinnedConnection;
import dev.cratereactive.internal.transport.Transport;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The {@link CrateClient} implementation. No compatibility promise. */
public final class DefaultCrateClient implements CrateClient {

    private static final String USER_AGENT = "crate-reactive/" + Objects.requireNonNullElse(
        DefaultCrateClient.class.getPackage().getImplementationVersion(), "dev");
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final ClientConfig config;
    private final Transport transport;
    private final DeadNodes deadNodes;
    private final Router router;
    private final SqlExchange exchange;
    private final Conduit pool;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param config validated settings */
    public DefaultCrateClient(ClientConfig config) {
        this(config, Hooks.NONE);
    }

    /**
     * @param config validated settings
     * @param hooks what tests replace: the clock, the transport choice, a connection observer
     */
    public DefaultCrateClient(ClientConfig config, Hooks hooks) {
        this.config = config;
        RoutingOptions routing = config.routing();
        this.transport = new Transport(config.transport().withPreferNative(hooks.preferNative()),
            routing.nodes().stream().anyMatch(Node::isSecure), USER_AGENT, hooks.connectionObserver());
        this.deadNodes = new DeadNodes(routing.deadNodeRetryInterval(), hooks.nanoClock());
        this.router = new Router(routing.nodes(), routing.nodeSelector(), deadNodes, routing.maxRetries(),
            routing.backoffFactor());
        this.exchange = new SqlExchange(transport, routing.nodes(), config.request());
        this.pool = new Conduit.Pooled(router, exchange);
    }

    /**
     * What tests replace; production uses {@link #NONE}.
     *
     * @param nanoClock time source for dead-node revival
     * @param preferNative whether to use the native epoll transport when available
     * @param connectionObserver called with every new connection's channel, or {@code null}
     */
    public record Hooks(LongSupplier nanoClock, boolean preferNative, Consumer<Channel> connectionObserver) {

        /** The system clock, native transport when available, no observer. */
        public static final Hooks NONE = new Hooks(System::nanoTime, true, null);

        /**
         * @param clock a nanosecond time source
         * @return hooks with that clock
         */
        public static Hooks clock(LongSupplier clock) {
            return new Hooks(clock, true, null);
        }
    }

    @Override
    public Flux<Row> sql(String sql, Object... args) {
        return sql(Statement.of(sql, args));
    }

    @Override
    public Flux<Row> sql(Statement statement) {
        Objects.requireNonNull(statement, "statement");
        int fetchSize = fetchSize(statement);
        return fetchSize > 0 ? Cursor.read(this, statement, fetchSize, null) : rows(pool, statement);
    }

    /**
     * @return the statement's fetch size, else the client's default for statements a cursor can be declared for
     *     ({@code SELECT}, {@code VALUES}); 0 = no cursor
     */
    int fetchSize(Statement statement) {
        if (statement.hasFetchSize()) {
            return statement.fetchSize();
        }
        int fallback = config.request().defaultFetchSize();
        return fallback > 0 && Statements.isDeclarable(statement.sql()) ? fallback : 0;
    }

    Flux<Row> rows(Conduit conduit, Statement statement) {
        return run(conduit, statement.sql(), repeatable(statement),
            () -> RequestEncoder.statement(statement.sql(), statement.args()), SqlExchange::rows);
    }

    @Override
    public Mono<SqlResult> execute(String sql, Object... args) {
        return execute(Statement.of(sql, args));
    }

    @Override
    public Mono<SqlResult> execute(Statement statement) {
        Objects.requireNonNull(statement, "statement");
        return execute(pool, statement);
    }

    Mono<SqlResult> execute(Conduit conduit, Statement statement) {
        return run(conduit, statement.sql(), repeatable(statement),
            () -> RequestEncoder.statement(statement.sql(), statement.args()), SqlExchange::execute).single();
    }

    @Override
    public Mono<BulkResult> bulk(String sql, List<? extends List<?>> rows) {
        return bulk(pool, sql, rows);
    }

    Mono<BulkResult> bulk(Conduit conduit, String sql, List<? extends List<?>> rows) {
        Statement statement = Statement.of(sql);
        Objects.requireNonNull(rows, "rows");
        if (rows.isEmpty()) {
            return Mono.just(new BulkResult(List.of(), Duration.ZERO));
        }
        // Never repeated once written: a bulk request may have inserted some of its rows.
        return run(conduit, statement.sql(), false, () -> RequestEncoder.bulk(sql, rows), SqlExchange::bulk).single();
    }

    static boolean repeatable(Statement statement) {
        return statement.isIdempotent() || Statements.isReadOnly(statement.sql());
    }

    /** One call of an exchange. */
    @FunctionalInterface
    interface Call<T> {
        Publisher<T> apply(SqlExchange exchange, Attempt attempt, SqlExchange.Request request);
    }

    private <T> Flux<T> run(Conduit conduit, String sql, boolean repeatable, Supplier<byte[]> encoder, Call<T> call) {
        return Flux.defer(() -> {
            checkOpen();
            SqlExchange.Request request = request(encoder.get(), sql);
            return conduit.route(sql, repeatable,
                attempt -> Flux.from(call.apply(conduit.exchange(), attempt, request)));
        });
    }

    /**
     * @param body an encoded body
     * @param sql the statement as the user wrote it, for messages
     * @return the request, gzipped when the body is over the compression threshold
     */
    SqlExchange.Request request(byte[] body, String sql) {
        return new SqlExchange.Request(RequestBody.of(body, config.request().compressionThreshold()), sql);
    }

    void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("The CrateClient is closed");
        }
    }

    @Override
    public <T> Flux<T> session(Function<? super CrateSession, ? extends Publisher<T>> work) {
        Objects.requireNonNull(work, "work");
        return Flux.usingWhen(
            Mono.fromCallable(() -> {
                checkOpen();
                return new DefaultCrateSession(this, pinned(transport.pin(router.firstChoice())));
            }),
            session -> work.apply(session),
            DefaultCrateSession::close,
            (session, error) -> session.close(),
            DefaultCrateSession::close);
    }

    /**
     * @param connection a pinned connection
     * @return a conduit sending every request on it, without failover
     */
    Conduit.Pinned pinned(PinnedConnection connection) {
        return new Conduit.Pinned(router, exchange.on(connection), connection);
    }

    Router router() {
        return router;
    }

    @Override
    public List<Node> nodes() {
        return config.routing().nodes();
    }

    /** @return the dead-node state (for tests and diagnostics) */
    public DeadNodes deadNodes() {
        return deadNodes;
    }

    /** @return the transport (for tests and diagnostics) */
    public Transport transport() {
        return transport;
    }

    @Override
    public void close() {
        if (Schedulers.isInNonBlockingThread()) {
            disposeLater().subscribe();
        } else {
            disposeLater().block(CLOSE_TIMEOUT);
        }
    }

    @Override
    public Mono<Void> disposeLater() {
        return Mono.defer(() -> {
            closed.set(true);
            return transport.disposeLater();
        });
    }

    @Override
    public String toString() {
        return "CrateClient" + config.routing().nodes();
    }
}
