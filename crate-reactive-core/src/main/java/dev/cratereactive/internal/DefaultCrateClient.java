package dev.cratereactive.internal;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateClient;
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
import dev.cratereactive.internal.transport.Transport;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
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
        return run(statement.sql(), repeatable(statement),
            () -> RequestEncoder.statement(statement.sql(), statement.args()), exchange::rows);
    }

    @Override
    public Mono<SqlResult> execute(String sql, Object... args) {
        return execute(Statement.of(sql, args));
    }

    @Override
    public Mono<SqlResult> execute(Statement statement) {
        Objects.requireNonNull(statement, "statement");
        return run(statement.sql(), repeatable(statement),
            () -> RequestEncoder.statement(statement.sql(), statement.args()), exchange::execute).single();
    }

    @Override
    public Mono<BulkResult> bulk(String sql, List<? extends List<?>> rows) {
        Statement statement = Statement.of(sql);
        Objects.requireNonNull(rows, "rows");
        if (rows.isEmpty()) {
            return Mono.just(new BulkResult(List.of(), Duration.ZERO));
        }
        // Never repeated once written: a bulk request may have inserted some of its rows.
        return run(statement.sql(), false, () -> RequestEncoder.bulk(sql, rows), exchange::bulk).single();
    }

    private static boolean repeatable(Statement statement) {
        return statement.isIdempotent() || Statements.isReadOnly(statement.sql());
    }

    private <T> Flux<T> run(String sql, boolean repeatable, Supplier<byte[]> encoder,
                            BiFunction<Attempt, SqlExchange.Request, Publisher<T>> exchange) {
        return Flux.defer(() -> {
            if (closed.get()) {
                return Flux.error(new IllegalStateException("The CrateClient is closed"));
            }
            SqlExchange.Request request = new SqlExchange.Request(
                RequestBody.of(encoder.get(), config.request().compressionThreshold()), sql);
            return router.route(sql, repeatable, attempt -> Flux.from(exchange.apply(attempt, request)));
        });
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
