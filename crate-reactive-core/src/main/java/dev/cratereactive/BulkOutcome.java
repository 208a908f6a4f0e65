package dev.cratereactive;

import java.util.Objects;
import java.util.Optional;

/**
 * What became of one item given to a {@link BulkWriter}: exactly one per item, unless the writer's {@code Flux}
 * failed first (then the items without an outcome were never sent). Immutable.
 *
 * <table>
 *   <caption>The cases</caption>
 *   <tr><th>case</th><th>{@link #rowCount()}</th><th>{@link #error()}</th><th>{@link #outcomeUnknown()}</th></tr>
 *   <tr><td>written</td><td>rows affected ({@code 1} for an insert)</td><td>empty</td><td>false</td></tr>
 *   <tr><td>rejected by CrateDB (4091 duplicate key; a retryable code after the last retry)</td>
 *       <td>{@link BulkResult#FAILED}</td><td>CrateDB's error for the row</td><td>false</td></tr>
 *   <tr><td>sent, no answer, not resent (the writer is not idempotent, or retries ran out)</td>
 *       <td>{@link BulkResult#FAILED}</td><td>says the row may or may not have been written</td><td>true</td></tr>
 * </table>
 *
 * @param item the item as the source emitted it
 * @param rowCount rows the statement affected for this item, or {@link BulkResult#FAILED}
 * @param error why the item was not (or may not have been) written; empty exactly when it was
 * @param attempts bulk requests that carried this item: 1 = sent once; whole-request resends included, the
 *                 client's failover to another node before a request was written not counted
 * @param outcomeUnknown whether the item was sent and no answer came: it may or may not be in the table
 * @param <T> the item type
 */
public record BulkOutcome<T>(T item, long rowCount, Optional<CrateError> error, int attempts, boolean outcomeUnknown) {

    /**
     * @param item the item
     * @param rowCount rows affected, or {@link BulkResult#FAILED}
     * @param error the error, if any
     * @param attempts sends, at least 1
     * @param outcomeUnknown whether no answer came
     * @throws NullPointerException if {@code item} or {@code error} is {@code null}
     * @throws IllegalArgumentException if {@code outcomeUnknown} is true without an error
     */
    public BulkOutcome {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(error, "error");
        if (outcomeUnknown && error.isEmpty()) {
            throw new IllegalArgumentException("an unknown outcome needs an error that says so");
        }
    }

    /** @return whether CrateDB answered that the item was written: no error, outcome known */
    public boolean isSuccess() {
        return error.isEmpty() && !outcomeUnknown;
    }
}
