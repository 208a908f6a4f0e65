package dev.cratereactive;

import org.jspecify.annotations.Nullable;

/**
 * The table or the cluster refuses the operation: a write on a table with {@code "blocks.write" = true}, a read
 * with {@code "blocks.read" = true} (both CrateDB code 4007, HTTP 400), or a cluster or table block such as the
 * read-only state the disk flood-stage watermark sets ({@code "blocks.read_only_allow_delete" = true}: codes
 * 4031-4037, HTTP 403). The message carries the server's reason.
 *
 * <p>Never retried and never {@link #isRetryable() retryable}: every node and every later try fails the same way
 * until an operator lifts the block. Per-row block codes inside a {@link BulkResult} stay in that result.
 */
public class CrateBlockedException extends CrateSqlException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, with the server's reason; must not contain credentials
     * @param errorCode CrateDB's error code (4007 or 4031-4037)
     * @param httpStatus the response status, or {@link CrateException#NO_HTTP_STATUS}
     * @param errorTrace the server-side stack trace, or {@code null}
     * @param node the node involved, or {@code null}
     * @param statement the statement (truncated), or {@code null}
     * @param cause the underlying error, or {@code null}
     */
    public CrateBlockedException(String message, int errorCode, int httpStatus, @Nullable String errorTrace, @Nullable Node node,
            @Nullable String statement, @Nullable Throwable cause) {
        super(message, errorCode, httpStatus, errorTrace, node, statement, cause, false, false);
    }
}
