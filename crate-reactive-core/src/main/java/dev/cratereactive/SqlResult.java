package dev.cratereactive;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of {@link CrateClient#execute}: how many rows the statement affected (or returned) and how
 * long the server took.
 *
 * @param rowCount rows affected by DML, rows returned by a query, {@code -1} when the server does not know
 *     (DDL); note that a multi-row {@code INSERT ... VALUES} that fails for some rows still succeeds with a
 *     lower count, so compare it with what you sent
 * @param duration the server-side execution time the response reported ({@link Duration#ZERO} if absent)
 * @param metadata the result columns; empty for statements without a result set
 */
public record SqlResult(long rowCount, Duration duration, RowMetadata metadata) {

    /**
     * @param rowCount rows affected or returned, or -1
     * @param duration server-side time
     * @param metadata result columns
     * @throws NullPointerException if {@code duration} or {@code metadata} is {@code null}
     */
    public SqlResult {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(metadata, "metadata");
    }
}
