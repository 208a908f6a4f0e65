package dev.cratereactive;

import org.jspecify.annotations.Nullable;

/**
 * CrateDB rejected the statement: its error object names the code (4000 syntax, 4041 unknown relation,
 * 4043 unknown column, 4045 unknown schema, 4093 relation exists, 4011 missing privilege, 5000 unhandled, ...).
 * Never retried, except 5030-5035 (the cluster or its shards were not available, the statement did not run:
 * {@link #isRetryable() retryable}, retried with backoff for every statement). 5005 (job killed) is final but
 * retryable, and its statement {@link #statementMayHaveRun() may have run}.
 */
public class CrateSqlException extends CrateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened; must not contain credentials
     * @param errorCode CrateDB's error code, or {@link CrateException#NO_ERROR_CODE}
     * @param httpStatus the response status, or {@link CrateException#NO_HTTP_STATUS}
     * @param errorTrace the server-side stack trace, or {@code null}
     * @param node the node involved, or {@code null}
     * @param statement the statement (truncated), or {@code null}
     * @param cause the underlying error, or {@code null}
     */
    public CrateSqlException(String message, int errorCode, int httpStatus, @Nullable String errorTrace, @Nullable Node node, @Nullable String statement,
            @Nullable Throwable cause) {
        super(message, errorCode, httpStatus, errorTrace, node, statement, cause);
    }

    /**
     * @param message what happened; must not contain credentials
     * @param errorCode CrateDB's error code, or {@link CrateException#NO_ERROR_CODE}
     * @param httpStatus the response status, or {@link CrateException#NO_HTTP_STATUS}
     * @param errorTrace the server-side stack trace, or {@code null}
     * @param node the node involved, or {@code null}
     * @param statement the statement (truncated), or {@code null}
     * @param cause the underlying error, or {@code null}
     * @param retryable see {@link CrateException#isRetryable()}
     * @param statementMayHaveRun see {@link CrateException#statementMayHaveRun()}
     */
    public CrateSqlException(String message, int errorCode, int httpStatus, @Nullable String errorTrace, @Nullable Node node, @Nullable String statement,
            @Nullable Throwable cause, boolean retryable, boolean statementMayHaveRun) {
        super(message, errorCode, httpStatus, errorTrace, node, statement, cause, retryable, statementMayHaveRun);
    }
}
