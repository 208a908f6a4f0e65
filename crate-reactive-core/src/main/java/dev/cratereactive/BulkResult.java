package dev.cratereactive;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link CrateClient#bulk}: one {@link RowResult} per row of {@code bulk_args}, in order.
 * CrateDB answers HTTP 200 even when some rows failed: check {@link #failedCount()} or each result.
 *
 * @param results one entry per bulk row, in the order sent; immutable
 * @param duration the server-side execution time the response reported ({@link Duration#ZERO} if absent)
 */
public record BulkResult(List<RowResult> results, Duration duration) {

    /** The row count CrateDB reports for a bulk row that failed. */
    public static final long FAILED = -2;

    /**
     * @param results one entry per bulk row
     * @param duration server-side time
     * @throws NullPointerException if an argument is {@code null}
     */
    public BulkResult {
        results = List.copyOf(results);
        Objects.requireNonNull(duration, "duration");
    }

    /** @return how many rows failed (row count {@link #FAILED}) */
    public long failedCount() {
        return results.stream().filter(RowResult::failed).count();
    }

    /** @return whether every row succeeded */
    public boolean allSucceeded() {
        return failedCount() == 0;
    }

    /**
     * The outcome of one bulk row.
     *
     * @param rowCount rows affected by this row's execution, or {@link #FAILED}
     * @param error why it failed (present exactly when the server sent an error for this row)
     */
    public record RowResult(long rowCount, Optional<CrateError> error) {

        /**
         * @param rowCount rows affected, or {@link #FAILED}
         * @param error the server's error, if any
         * @throws NullPointerException if {@code error} is {@code null}
         */
        public RowResult {
            Objects.requireNonNull(error, "error");
        }

        /** @return whether the server reported this row as failed */
        public boolean failed() {
            return rowCount == FAILED || error.isPresent();
        }
    }
}
