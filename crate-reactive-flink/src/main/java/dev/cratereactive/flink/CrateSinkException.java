package dev.cratereactive.flink;

import dev.cratereactive.CrateError;
import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Fails a sink writer, and so the job (which restarts from its last checkpoint when it has a restart strategy):
 * a row CrateDB did not write while no {@link RowFailureHandler} was set, or a bulk writer that stopped (a
 * statement error, a blocked table, no node reachable after the retries). The message carries CrateDB's code and
 * message, never the row's values.
 */
public final class CrateSinkException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient @Nullable CrateError error;

    /**
     * @param message what failed
     * @param error CrateDB's error for the row, if there was one
     * @param cause the underlying exception, if any
     */
    public CrateSinkException(String message, @Nullable CrateError error, @Nullable Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** @return CrateDB's error for the row that failed the writer; empty when the whole writer failed */
    public Optional<CrateError> error() {
        return Optional.ofNullable(error);
    }
}
