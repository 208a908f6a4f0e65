package dev.cratereactive.internal.bulk;

import dev.cratereactive.BulkWriter;
import dev.cratereactive.CrateClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** The {@link BulkWriter.Builder} implementation. No compatibility promise. */
public final class BulkWriterBuilder<T> implements BulkWriter.Builder<T> {

    private final CrateClient client;
    private final String sql;
    private final Function<? super T, ? extends List<?>> mapper;
    private int maxRows = BulkWriter.DEFAULT_MAX_ROWS;
    private long maxBytes = BulkWriter.DEFAULT_MAX_BYTES;
    private Duration linger = BulkWriter.DEFAULT_LINGER;
    private int maxInFlight = BulkWriter.DEFAULT_MAX_IN_FLIGHT;
    private int itemRetries = BulkWriter.DEFAULT_ITEM_RETRIES;
    private boolean idempotent;
    private Duration retryBackoff = BulkSender.RETRY_BACKOFF;

    /**
     * @param client sends the requests
     * @param sql the statement, with one parameter per value the mapper returns
     * @param mapper an item's parameters
     */
    public BulkWriterBuilder(CrateClient client, String sql, Function<? super T, ? extends List<?>> mapper) {
        this.client = Objects.requireNonNull(client, "client");
        this.sql = Objects.requireNonNull(sql, "sql");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("sql must not be blank");
        }
    }

    @Override
    public BulkWriterBuilder<T> maxRows(int maxRows) {
        this.maxRows = maxRows;
        return this;
    }

    @Override
    public BulkWriterBuilder<T> maxBytes(long maxBytes) {
        this.maxBytes = maxBytes;
        return this;
    }

    @Override
    public BulkWriterBuilder<T> linger(Duration linger) {
        this.linger = linger;
        return this;
    }

    @Override
    public BulkWriterBuilder<T> maxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        return this;
    }

    @Override
    public BulkWriterBuilder<T> itemRetries(int itemRetries) {
        this.itemRetries = itemRetries;
        return this;
    }

    @Override
    public BulkWriterBuilder<T> idempotent(boolean idempotent) {
        this.idempotent = idempotent;
        return this;
    }

    /**
     * Not public API: tests shorten the wait before a resend.
     *
     * @param retryBackoff the first wait before a resend, doubled per resend, positive
     * @return this builder
     */
    public BulkWriterBuilder<T> retryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
        return this;
    }

    @Override
    public BulkWriter<T> build() {
        checkOptions(maxRows, maxBytes, linger, maxInFlight, itemRetries);
        if (retryBackoff == null || retryBackoff.isNegative() || retryBackoff.isZero()) {
            throw new IllegalArgumentException("retryBackoff must be positive, was " + retryBackoff);
        }
        return new DefaultBulkWriter<>(client, sql, mapper, maxRows, maxBytes, linger, maxInFlight,
            new BulkSender(client, sql, itemRetries, idempotent, retryBackoff));
    }

    /**
     * The batching options' checks, shared with builders that configure a writer later (the Flink sink builds
     * one per subtask, and checks when the sink is built).
     *
     * @throws IllegalArgumentException naming the first option out of range and its value
     */
    public static void checkOptions(int maxRows, long maxBytes, Duration linger, int maxInFlight, int itemRetries) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be positive, was " + maxRows);
        }
        if (maxBytes < 1 || maxBytes >= BulkWriter.SERVER_MAX_BYTES) {
            throw new IllegalArgumentException("maxBytes must be positive and below " + BulkWriter.SERVER_MAX_BYTES
                + " (CrateDB answers HTTP 413 to a body of 100 MB or more), was " + maxBytes);
        }
        if (linger == null || linger.isNegative()) {
            throw new IllegalArgumentException("linger must be zero or positive, was " + linger);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive, was " + maxInFlight);
        }
        if (itemRetries < 0) {
            throw new IllegalArgumentException("itemRetries must be zero or positive, was " + itemRetries);
        }
    }
}
