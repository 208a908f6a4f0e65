package dev.cratereactive;

/**
 * No bytes arrived within the configured timeout while the client was waiting for them, the connection could
 * not be made within the connect timeout, or a call's deadline ({@link Statement#timeout(java.time.Duration)},
 * {@link CrateClientBuilder#defaultTimeout(java.time.Duration)}) passed; the message then says what was still
 * pending (a pooled connection, the response of a node, the backoff before a retry, the rest of the rows).
 */
public class CrateTimeoutException extends CrateException {

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
    public CrateTimeoutException(String message, int errorCode, int httpStatus, String errorTrace, Node node, String statement,
            Throwable cause) {
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
    public CrateTimeoutException(String message, int errorCode, int httpStatus, String errorTrace, Node node, String statement,
            Throwable cause, boolean retryable, boolean statementMayHaveRun) {
        super(message, errorCode, httpStatus, errorTrace, node, statement, cause, retryable, statementMayHaveRun);
    }
}
