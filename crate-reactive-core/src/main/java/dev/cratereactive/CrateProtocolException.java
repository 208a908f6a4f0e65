package dev.cratereactive;

import org.jspecify.annotations.Nullable;

/**
 * The response is not one CrateDB sends: HTML from a proxy, a wrong content type, truncated or invalid
 * JSON, or JSON of an unexpected shape. Never retried once rows were emitted.
 */
public class CrateProtocolException extends CrateException {

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
    public CrateProtocolException(String message, int errorCode, int httpStatus, @Nullable String errorTrace, @Nullable Node node, @Nullable String statement,
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
    public CrateProtocolException(String message, int errorCode, int httpStatus, @Nullable String errorTrace, @Nullable Node node, @Nullable String statement,
            @Nullable Throwable cause, boolean retryable, boolean statementMayHaveRun) {
        super(message, errorCode, httpStatus, errorTrace, node, statement, cause, retryable, statementMayHaveRun);
    }
}
