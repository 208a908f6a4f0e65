package dev.cratereactive;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A non-blocking client for CrateDB's HTTP endpoint ({@code POST /_sql}). Thread-safe; create one per
 * application (or per schema and credentials) and {@link #close()} it on shutdown.
 *
 * <p>Every method returns a cold publisher: nothing is sent until subscription, and every subscription runs
 * the statement once more. Nodes are chosen per subscription by the {@link NodeSelector}; nodes that fail
 * are marked dead and skipped, and failed attempts are retried on the next node (see
 * {@link CrateClientBuilder#maxRetries(int)} and {@link Statement}).
 *
 * <p>Parameters may be {@code null}, {@link Boolean}, any {@link Number} ({@link java.math.BigDecimal} is sent
 * exactly; NaN and infinities as the strings CrateDB accepts), {@link String}, {@link Character},
 * {@link java.time.Instant}, {@link java.time.OffsetDateTime}, {@link java.time.ZonedDateTime} and
 * {@link java.util.Date} (epoch milliseconds), {@link java.time.LocalDate}, {@link java.time.LocalDateTime},
 * {@link java.time.OffsetTime}, {@link java.time.LocalTime} (ISO text), {@link java.util.UUID},
 * {@link java.net.InetAddress}, {@code Map<String, ?>}, {@link java.util.Collection}, and arrays (primitive
 * ones too, {@code float[]} for FLOAT_VECTOR). Any other type fails the subscription with an
 * {@link IllegalArgumentException} before any I/O.
 */
public interface CrateClient extends AutoCloseable {

    /** The node used when none is configured. */
    String DEFAULT_NODE = "http://localhost:4200";

    /** @return a client for {@value #DEFAULT_NODE} with default options */
    static CrateClient create() {
        return builder().build();
    }

    /**
     * @param nodes node addresses: {@code host}, {@code host:port} or {@code http(s)://[user:password@]host[:port][/prefix]}
     * @return a client for these nodes with default options
     * @throws IllegalArgumentException if an address is malformed
     */
    static CrateClient create(String... nodes) {
        return builder().nodes(nodes).build();
    }

    /** @return a builder with every option at its default */
    static CrateClientBuilder builder() {
        return new CrateClientBuilder();
    }

    /**
     * Runs a statement and streams its rows as they arrive. Demand limits how much of the response is read.
     *
     * @param sql the statement
     * @param args positional parameters
     * @return the rows; errors are {@link CrateException}s (or {@link IllegalArgumentException} for bad parameters)
     */
    default Flux<Row> sql(String sql, @Nullable Object... args) {
        return sql(Statement.of(sql, args));
    }

    /**
     * Like {@link #sql(String, Object...)}, for a prepared {@link Statement} (e.g. marked idempotent). With a
     * {@link Statement#fetchSize(int) fetch size} (or the builder's
     * {@link CrateClientBuilder#defaultFetchSize(int) defaultFetchSize}) the rows are read through a server-side
     * cursor on a connection of its own, page by page as demand needs them.
     *
     * @param statement the statement
     * @return the rows
     */
    Flux<Row> sql(Statement statement);

    /**
     * Runs a statement for its effect (DML, DDL) and reports the row count; any rows are read and dropped.
     *
     * @param sql the statement
     * @param args positional parameters
     * @return the row count and server duration
     */
    default Mono<SqlResult> execute(String sql, @Nullable Object... args) {
        return execute(Statement.of(sql, args));
    }

    /**
     * Like {@link #execute(String, Object...)}, for a prepared {@link Statement}.
     *
     * @param statement the statement
     * @return the row count and server duration
     */
    Mono<SqlResult> execute(Statement statement);

    /**
     * Runs one statement once per parameter row in a single request ({@code bulk_args}). CrateDB reports each
     * row's outcome; a failed row does not fail the others or the request. An empty list completes with an
     * empty result without I/O. A bulk request that reached a node is never retried.
     *
     * @param sql the statement, typically {@code INSERT}, {@code UPDATE} or {@code DELETE} with parameters
     * @param rows one parameter list per execution
     * @return one result per row, in order
     */
    Mono<BulkResult> bulk(String sql, List<? extends List<?>> rows);

    /**
     * Runs {@code work} with a {@link CrateSession}: statements on one connection of their own, so that session
     * state ({@code SET SESSION ...}, cursors, the schema) set by one statement holds for the next, and for
     * nothing else. The node is the one a query would try first; there is no failover within a session.
     *
     * <p>Whatever the work's publisher does (complete, fail, or get cancelled), the connection is closed
     * afterwards and never returned to the pool, so no setting or cursor outlives the session. The connection is
     * opened on the session's first statement and does not count towards {@link CrateClientBuilder#maxConnections(int)}.
     *
     * <pre>{@code
     * Flux<Row> rows = client.session(session -> session.execute("SET SESSION statement_timeout = '5s'")
     *     .thenMany(session.sql("SELECT ...")));
     * }</pre>
     *
     * @param work composes the session's statements; called once per subscription
     * @param <T> what the work emits
     * @return what the work's publisher emits, then completion once the connection is closed
     */
    <T> Flux<T> session(Function<? super CrateSession, ? extends Publisher<T>> work);


    /**
     * Starts a {@link BulkWriter}: batches a stream of items into bulk requests of this statement, with bounded
     * memory and concurrency, per-row retries and one {@link BulkOutcome} per item (see {@link BulkWriter}).
     *
     * <pre>{@code
     * BulkWriter<Reading> writer = client.bulkWriter("INSERT INTO readings (id, v) VALUES (?, ?)",
     *         (Reading r) -> List.of(r.id(), r.v()))
     *     .maxInFlight(2)
     *     .build();
     * Flux<BulkOutcome<Reading>> outcomes = writer.write(readings);
     * }</pre>
     *
     * @param sql the statement, typically {@code INSERT} (or an {@link Upsert}), with one parameter per value
     * @param mapper an item's parameters, in order; called once per item, on the thread that delivers it
     * @param <T> the item type
     * @return a builder with every option at its default
     * @throws IllegalArgumentException if {@code sql} is blank
     */
    <T> BulkWriter.Builder<T> bulkWriter(String sql, java.util.function.Function<? super T, ? extends List<?>> mapper);

    /**
     * @return the nodes in use, in configuration order: the configured ones, then those found by
     *     {@link CrateClientBuilder#discoverNodes(java.time.Duration) discovery}
     */
    List<Node> nodes();

    /**
     * Probes every node with {@code HEAD /} now (each bounded by the connect timeout, all at once) and adds
     * the client's dead-node state. A dead node that answers is alive again. Never fails: an unreachable node is
     * reported as such.
     *
     * @return one entry per node, in the order of {@link #nodes()}
     */
    Mono<List<NodeHealth>> health();

    /**
     * Closes every pooled connection and rejects further queries. Blocks up to a few seconds unless called on
     * a non-blocking thread, where it only starts the shutdown. Idempotent.
     */
    @Override
    void close();

    /** @return a publisher that closes the client when subscribed and completes when all connections are closed */
    Mono<Void> disposeLater();
}
