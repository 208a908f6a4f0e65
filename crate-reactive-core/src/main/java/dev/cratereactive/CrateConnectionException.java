package dev.cratereactive;

import org.jspecify.annotations.Nullable;

/**
 * No usable response could be had: a node refused the connection, reset or closed it, failed the TLS handshake,
 * was overloaded (HTTP 429), or a proxy answered 502/503/504/509. When the retries ran out, this exception says
 * how many attempts failed and carries the last attempt's {@link #errorCode()}, {@link #httpStatus()},
 * {@link #node()} and flags; the last attempt's exception is its cause and every attempt's is attached with
 * {@link #getSuppressed()}.
 */
public class CrateConnectionException extends CrateException {

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
    public CrateConnectionException(String message, int errorCode, int httpStatus, @Nullable String errorTrace, @Nullable Node node, @Nullable String statement,
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
    public CrateConnectionException(String message, int errorCode, int httpStatus, @Nullable String errorTrace, @Nullable Node node, @Nullable String statement,
            @Nullable Throwable cause, boolean retryable, boolean statementMayHaveRun) {
        super(message, errorCode, httpStatus, errorTrace, node, statement, cause, retryable, statementMayHaveRun);
    }
}
