package dev.cratereactive.flink;

import dev.cratereactive.BulkOutcome;
import java.io.Serializable;

/**
 * Receives the rows CrateDB did not write (row count -2 with an error per row, e.g. 4091 duplicate key or a type
 * error, or a retryable error after the last resend, or an unknown outcome the writer may not resend). Without one
 * the sink fails the job on the first such row ({@link CrateSinkException}). Serializable: it travels with the job
 * graph, so what it captures is copied: {@code list::add} would add to a deserialized copy of {@code list}, not to the
 * list the job was built with. Called on the task thread, in {@code write} or at the latest in the checkpoint's {@code flush}, before the
 * checkpoint completes; an exception it throws fails the job.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface RowFailureHandler<T> extends Serializable {

    /**
     * @param outcome the element, CrateDB's error ({@link BulkOutcome#error()}), the attempts, and whether the
     *     outcome is unknown
     * @throws Exception to fail the job
     */
    void onFailure(BulkOutcome<T> outcome) throws Exception;
}
