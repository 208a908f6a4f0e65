package dev.cratereactive.internal;

import dev.cratereactive.BulkResult;
import dev.cratereactive.BulkWriter;
import dev.cratereactive.CrateClient;
import dev.cratereactive.Node;
import dev.cratereactive.CrateSession;
import dev.cratereactive.NodeHealth;
import dev.cratereactive.Row;
import dev.cratereactive.SqlResult;
import dev.cratereactive.Statement;
import dev.cratereactive.internal.bulk.BulkWriterBuilder;
import dev.cratereactive.internal.codec.RequestBody;
import dev.cratereactive.internal.codec.RequestEncoder;
import dev.cratereactive.internal.observe.Instrumentation;
import dev.cratereactive.internal.routing.Attempt;
import dev.cratereactive.internal.routing.Call;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The {@link CrateClient} implementation. No compatibility promise. */
public final class DefaultCrateClient implements CrateClient {

    private static final String USER_AGENT = "crate-reactive/" + Objects.requireNonNullElse(
        DefaultCrateClient.class.getPackage().getImplementationVersion(), "dev");
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicLong CLIENT_IDS = new AtomicLong();

    /* The key under which Micrometer's context propagation keeps the current observation in a Reactor context. */
    private static final String OBSERVATION_KEY = "micrometer.observation";

    private final ClientConfig config;
    private final OperabilityOptions options;
    private final Transport transport;
    private final DeadNodes deadNodes;
    private final Router router;
    private final SqlExchange exchange;
    private final NodeProbes probes;
    private final ServerKill serverKill;
    private final Disposable discovery;
    private final Conduit pool;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Instrumentation instrumentation;

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
        this.options = config.operability();
        RoutingOptions routing = config.routing();
        this.deadNodes = new DeadNodes(routing.deadNodeRetryInterval(), hooks.nanoClock());
        String name = "crate-reactive-" + CLIENT_IDS.incrementAndGet();
        this.instrumentation = Instrumentation.create(options, name, () -> deadNodes.countDead(nodes()));
        deadNodes.onDead(instrumentation::nodeDead);
        this.transport = new Transport(config.transport().withPreferNative(hooks.preferNative()), name,
            routing.nodes().stream().anyMatch(Node::isSecure), USER_AGENT, hooks.connectionObserver(),
            instrumentation.poolMetrics());
        this.router = new Router(routing.nodes(), routing.nodeSelector(), deadNodes, routing.maxRetries(),
            routing.backoffFactor(), instrumentation);
        this.exchange = new SqlExchange(transport, routing.nodes(), config.request());
        this.pool = new Conduit.Pooled(router, exchange);
        this.probes = new NodeProbes(transport, config.request().authorization(),
            config.transport().socket().connectTimeout(), deadNodes);
        deadNodes.reviveWith(probes::revive);
        this.serverKill = new ServerKill(router, exchange, options.killTimeout(), instrumentation,
            config.request().compressionThreshold());
        this.discovery = options.discoveryInterval() == null ? null
            : new NodeDiscovery(routing.nodes(), router, () -> sql(NodeDiscovery.QUERY), probes)
                .start(options.discoveryInterval());
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
    public Flux<Row> sql(Statement statement) {
        return query(statement, null);
    }

    /**
     * @param statement the query
     * @param session the session's connection, or {@code null} for the pool
     * @return its rows: through a cursor when it has a fetch size (its own or the client's default), else plainly
     */
    Flux<Row> query(Statement statement, Conduit.Pinned session) {
        Objects.requireNonNull(statement, "statement");
        int fetchSize = fetchSize(statement);
        if (fetchSize > 0) {
            return Cursor.read(this, statement, fetchSize, session);
        }
        return rows(session == null ? pool : session, statement);
    }

    /**
     * @return the statement's fetch size, else the client's default for statements a cursor can be declared for
     *     ({@code SELECT}, {@code VALUES}); 0 = no cursor
     */
    private int fetchSize(Statement statement) {
        if (statement.hasFetchSize()) {
            return statement.fetchSize();
        }
        int fallback = config.request().defaultFetchSize();
        return fallback > 0 && Statements.isDeclarable(statement.sql()) ? fallback : 0;
    }

    private Flux<Row> rows(Conduit conduit, Statement statement) {
        return run(conduit, statement, repeatable(statement), statementBody(statement), SqlExchange::rows);
    }

    @Override
    public Mono<SqlResult> execute(Statement statement) {
        Objects.requireNonNull(statement, "statement");
        return execute(pool, statement);
    }

    Mono<SqlResult> execute(Conduit conduit, Statement statement) {
        return run(conduit, statement, repeatable(statement), statementBody(statement), SqlExchange::execute).single();
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
        return run(conduit, statement, false, tagged -> RequestEncoder.bulk(tagged, rows, threshold()),
            SqlExchange::bulk).single();
    }

    @Override
    public <T> BulkWriter.Builder<T> bulkWriter(String sql, Function<? super T, ? extends List<?>> mapper) {
        return new BulkWriterBuilder<>(this, sql, mapper);
    }

    static boolean repeatable(Statement statement) {
        return statement.isIdempotent() || Statements.isReadOnly(statement.sql());
    }

    /** One call of an exchange. */
    @FunctionalInterface
    interface ExchangeCall<T> {
        Publisher<T> apply(SqlExchange exchange, Attempt attempt, SqlExchange.Request request);
    }

    /**
     * @param encoder encodes the request body around the statement text it is given (the tag comment included)
     */
    private <T> Flux<T> run(Conduit conduit, Statement statement, boolean repeatable,
                            Function<String, RequestBody> encoder, ExchangeCall<T> exchangeCall) {
        String operation = Statements.operation(statement.sql());
        Duration deadline = statement.timeout().orElse(options.defaultTimeout());
        String label = statement.tag().orElse(null);
        return Flux.deferContextual(context -> {
            checkOpen();
            String tagId = Statements.newTagId();
            SqlExchange.Request request = new SqlExchange.Request(
                encoder.apply(Statements.tagged(tagId, label, statement.sql())), statement.sql());
            Call call = new Call(statement.sql(), operation, repeatable, deadline,
                options.cancelOnServer() ? node -> serverKill.kill(node, tagId) : null,
                context.getOrDefault(OBSERVATION_KEY, null));
            return conduit.route(call, attempt -> Flux.from(exchangeCall.apply(conduit.exchange(), attempt, request)));
        });
    }

    /**
     * What the router needs for a call the client makes for itself (a cursor's DECLARE): the statement's deadline
     * and the caller's observation, no server-side kill (closing the cursor's connection ends it).
     *
     * @param statement the user's statement
     * @param repeatable whether it may be sent again after it reached a node
     * @return the call
     */
    Call call(Statement statement, boolean repeatable) {
        return new Call(statement.sql(), Statements.operation(statement.sql()), repeatable,
            statement.timeout().orElse(options.defaultTimeout()), null, null);
    }

    /**
     * @param body an encoded body
     * @param sql the statement as the user wrote it, for messages
     * @return the request, gzipped when the body is over the compression threshold
     */
    SqlExchange.Request request(byte[] body, String sql) {
        return new SqlExchange.Request(RequestBody.of(body, threshold()), sql);
    }

    /** @return the encoder of the statement's body around the text it is given (the tag comment included) */
    private Function<String, RequestBody> statementBody(Statement statement) {
        return sql -> RequestEncoder.statement(sql, statement.args(), threshold());
    }

    private int threshold() {
        return config.request().compressionThreshold();
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
        return router.nodes();
    }

    @Override
    public Mono<List<NodeHealth>> health() {
        return Mono.defer(() -> probes.health(nodes()));
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
            if (discovery != null) {
                discovery.dispose();
            }
            instrumentation.close();
            return transport.disposeLater();
        });
    }

    @Override
    public String toString() {
        return "CrateClient" + nodes();
    }
}
