package dev.cratereactive.flink;

import dev.cratereactive.BulkWriter;
import dev.cratereactive.CrateClient;
import dev.cratereactive.Upsert;
import dev.cratereactive.internal.bulk.BulkWriterBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.jspecify.annotations.Nullable;

/**
 * A Flink Sink V2 that writes a stream into CrateDB with one statement, through a {@link BulkWriter} per parallel
 * subtask. Built with {@link #builder()}; immutable and serializable.
 *
 * <ul>
 *   <li><b>Backpressure.</b> {@code write} hands the element to the subtask's bulk writer and blocks the task thread
 *       while {@code (maxInFlight + 2) × maxRows} elements are accepted and not yet answered: memory stays bounded
 *       and a slow CrateDB slows the job.</li>
 *   <li><b>At-least-once.</b> {@code flush}, which Flink calls before each checkpoint and at the end of input,
 *       returns only when every element accepted so far is acknowledged by CrateDB (or handed to the
 *       {@link RowFailureHandler}). A job restarted from a checkpoint replays the elements after it, so a plain
 *       {@code INSERT} may then fail with duplicate keys (4091) or write twice without a primary key; with
 *       {@link Builder#upsert} ({@code INSERT ... ON CONFLICT (key) DO UPDATE}) a replay rewrites the same rows:
 *       exactly-once in effect.</li>
 *   <li><b>Per-row failures</b> (CrateDB's row count -2 with an error) fail the job with a
 *       {@link CrateSinkException} by default, or go to {@link Builder#onRowFailure}. A failure of the whole writer
 *       (statement error, blocked table, no node reachable after the client's and the writer's retries) always
 *       fails the job.</li>
 *   <li><b>Metrics</b> in the operator's {@code SinkWriterMetricGroup}: {@code numRecordsSend} (which Flink also
 *       reports as {@code numRecordsOut}) counts rows CrateDB acknowledged, {@code numRecordsSendErrors} rows it did
 *       not write, {@code currentSendTime} the milliseconds from {@code write} to acknowledgement of the last
 *       acknowledged row; and this sink's own {@code crateRowsAcknowledged} and {@code crateRowsFailed}
 *       counters.</li>
 *   <li>{@code close} cancels what is still in flight and closes the bulk writer and the client (its connection
 *       pool).</li>
 * </ul>
 *
 * <pre>{@code
 * CrateSink<Reading> sink = CrateSink.<Reading>builder()
 *     .nodes("http://localhost:4200")
 *     .upsert("doc.readings", List.of("id", "v"), List.of("id"))
 *     .rowMapper(r -> List.of(r.id(), r.v()))
 *     .build();
 * readings.sinkTo(sink);
 * }</pre>
 *
 * @param <T> the element type
 */
public final class CrateSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    /** Creates each subtask's client. */
    private final ClientFactory clientFactory;
    /** The statement. */
    private final String sql;
    /** An element's parameters. */
    private final RowMapper<T> rowMapper;
    /** Rows per bulk request. */
    private final int maxRows;
    /** Largest encoded request body, bytes. */
    private final long maxBytes;
    /** Longest wait of a partial batch. */
    private final Duration linger;
    /** Bulk requests in flight per subtask. */
    private final int maxInFlight;
    /** Resends of a row that failed with a retryable code. */
    private final int itemRetries;
    /** Whether a request with a lost answer may be resent. */
    private final boolean idempotent;
    /** Takes rows CrateDB did not write; null fails the job. */
    private final @Nullable RowFailureHandler<T> rowFailureHandler;

    private CrateSink(Builder<T> builder, ClientFactory clientFactory, String sql, RowMapper<T> rowMapper) {
        this.clientFactory = clientFactory;
        this.sql = sql;
        this.rowMapper = rowMapper;
        this.maxRows = builder.maxRows;
        this.maxBytes = builder.maxBytes;
        this.linger = builder.linger;
        this.maxInFlight = builder.maxInFlight;
        this.itemRetries = builder.itemRetries;
        this.idempotent = builder.idempotent;
        this.rowFailureHandler = builder.rowFailureHandler;
    }

    /**
     * @param <T> the element type
     * @return a builder with every option at its default
     */
    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /**
     * Opens a subtask's writer: creates its client and starts its bulk writer.
     *
     * @param context the subtask's context (metric group)
     * @return the writer
     * @throws IOException never in this implementation; declared by Flink
     */
    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        CrateClient client = clientFactory.create();
        try {
            return new CrateSinkWriter<>(client, this::bulkWriter, rowMapper, rowFailureHandler,
                (maxInFlight + 2) * maxRows, context.metricGroup());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    <E> BulkWriter<E> bulkWriter(CrateClient client, java.util.function.Function<? super E, ? extends List<?>> args) {
        return client.<E>bulkWriter(sql, args)
            .maxRows(maxRows)
            .maxBytes(maxBytes)
            .linger(linger)
            .maxInFlight(maxInFlight)
            .itemRetries(itemRetries)
            .idempotent(idempotent)
            .build();
    }

    /** @return the statement, e.g. for logs */
    public String statement() {
        return sql;
    }

    @Override
    public String toString() {
        return "CrateSink[" + sql + "]";
    }

    /**
     * Options of a {@link CrateSink}, checked by {@link #build()}; the batching options are the
     * {@link BulkWriter.Builder}'s. Not thread-safe.
     *
     * @param <T> the element type
     */
    public static final class Builder<T> {

        private @Nullable ClientFactory clientFactory;
        private @Nullable String sql;
        private @Nullable RowMapper<T> rowMapper;
        private int maxRows = BulkWriter.DEFAULT_MAX_ROWS;
        private long maxBytes = BulkWriter.DEFAULT_MAX_BYTES;
        private Duration linger = BulkWriter.DEFAULT_LINGER;
        private int maxInFlight = BulkWriter.DEFAULT_MAX_IN_FLIGHT;
        private int itemRetries = BulkWriter.DEFAULT_ITEM_RETRIES;
        private boolean idempotent;
        private @Nullable RowFailureHandler<T> rowFailureHandler;

        private Builder() {
        }

        /**
         * Each subtask connects to these nodes with a client of default options
         * ({@code CrateClient.builder().nodes(nodes).build()}); use {@link #clientFactory} for credentials, TLS or
         * other options.
         *
         * @param nodes node URLs, e.g. {@code http://localhost:4200}
         * @return this builder
         */
        public Builder<T> nodes(String... nodes) {
            List<String> urls = new ArrayList<>(List.of(nodes));
            this.clientFactory = () -> CrateClient.builder().nodes(urls).build();
            return this;
        }

        /**
         * @param clientFactory creates each subtask's client (replaces {@link #nodes})
         * @return this builder
         */
        public Builder<T> clientFactory(ClientFactory clientFactory) {
            this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
            return this;
        }

        /**
         * @param sql the statement with one {@code ?} per value of the row mapper, typically an {@code INSERT}
         * @return this builder
         */
        public Builder<T> statement(String sql) {
            this.sql = Objects.requireNonNull(sql, "statement");
            return this;
        }

        /**
         * Writes with {@link Upsert#statement}: {@code INSERT ... ON CONFLICT (keys) DO UPDATE SET} the other
         * columns, and marks the writer {@linkplain #idempotent(boolean) idempotent}: a replay after a restart (or
         * a resend after a lost answer) rewrites the same row, so each row is in the table once.
         *
         * @param table the table, optionally schema-qualified
         * @param columns the columns, in the row mapper's order
         * @param keyColumns the primary key columns, a subset of {@code columns}
         * @return this builder
         * @throws IllegalArgumentException as {@link Upsert#statement}
         */
        public Builder<T> upsert(String table, List<String> columns, List<String> keyColumns) {
            this.sql = Upsert.statement(table, columns, keyColumns);
            this.idempotent = true;
            return this;
        }

        /**
         * @param rowMapper an element's statement parameters
         * @return this builder
         */
        public Builder<T> rowMapper(RowMapper<T> rowMapper) {
            this.rowMapper = Objects.requireNonNull(rowMapper, "rowMapper");
            return this;
        }

        /**
         * @param maxRows rows per bulk request, positive (default {@value BulkWriter#DEFAULT_MAX_ROWS})
         * @return this builder
         */
        public Builder<T> maxRows(int maxRows) {
            this.maxRows = maxRows;
            return this;
        }

        /**
         * @param maxBytes the largest encoded request body before gzip, positive and below
         *                 {@link BulkWriter#SERVER_MAX_BYTES} (default 8 MiB)
         * @return this builder
         */
        public Builder<T> maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /**
         * @param linger how long a partial batch waits for more rows, zero or positive (default 100 ms); a
         *               checkpoint's flush waits for it too, at most this long
         * @return this builder
         */
        public Builder<T> linger(Duration linger) {
            this.linger = Objects.requireNonNull(linger, "linger");
            return this;
        }

        /**
         * @param maxInFlight concurrent bulk requests per subtask, positive (default
         *                    {@value BulkWriter#DEFAULT_MAX_IN_FLIGHT})
         * @return this builder
         */
        public Builder<T> maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * @param itemRetries resends of a row that failed with a retryable code, zero or positive (default
         *                    {@value BulkWriter#DEFAULT_ITEM_RETRIES})
         * @return this builder
         */
        public Builder<T> itemRetries(int itemRetries) {
            this.itemRetries = itemRetries;
            return this;
        }

        /**
         * @param idempotent true when writing a row twice does no harm: a request whose answer was lost is resent
         *                   (default false; {@link #upsert} sets it)
         * @return this builder
         */
        public Builder<T> idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        /**
         * @param handler receives each row CrateDB did not write; {@code null} (the default) fails the job on the
         *                first one
         * @return this builder
         */
        public Builder<T> onRowFailure(@Nullable RowFailureHandler<T> handler) {
            this.rowFailureHandler = handler;
            return this;
        }

        /**
         * @return the sink
         * @throws IllegalArgumentException naming the option when one is missing or out of range
         */
        public CrateSink<T> build() {
            if (clientFactory == null) {
                throw new IllegalArgumentException("nodes or clientFactory must be set");
            }
            if (sql == null || sql.isBlank()) {
                throw new IllegalArgumentException("statement (or upsert) must be set, was " + sql);
            }
            if (rowMapper == null) {
                throw new IllegalArgumentException("rowMapper must be set");
            }
            BulkWriterBuilder.checkOptions(maxRows, maxBytes, linger, maxInFlight, itemRetries);
            if ((long) (maxInFlight + 2) * maxRows > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("(maxInFlight + 2) * maxRows must fit an int, was " + maxInFlight
                    + " and " + maxRows);
            }
            return new CrateSink<>(this, clientFactory, sql, rowMapper);
        }
    }
}
