package dev.cratereactive;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The root of every error this client signals (all unchecked). It carries what the server said, where, and
 * about which statement. Messages never contain credentials.
 *
 * <p>Subtypes: {@link CrateSqlException} (statement rejected), {@link CrateDuplicateKeyException},
 * {@link CrateBlockedException}, {@link CrateAuthenticationException}, {@link CrateConnectionException},
 * {@link CrateTimeoutException}, {@link CrateProtocolException}.
 */
public class CrateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The {@link #errorCode()} of errors that did not come from CrateDB's error object. */
    public static final int NO_ERROR_CODE = 0;
    /** The {@link #httpStatus()} of errors that happened before any response arrived. */
    public static final int NO_HTTP_STATUS = 0;

    private final int errorCode;
    private final int httpStatus;
    private final String errorTrace;
    private final transient Node node;
    private final String statement;
    private final boolean retryable;
    private final boolean statementMayHaveRun;

    /**
     * An error that is not worth repeating and whose statement did not run; see
     * {@link #CrateException(String, int, int, String, Node, String, Throwable, boolean, boolean)}.
     *
     * @param message what happened; must not contain credentials
     * @param errorCode CrateDB's error code, or {@link #NO_ERROR_CODE}
     * @param httpStatus the response status, or {@link #NO_HTTP_STATUS}
     * @param errorTrace the server-side stack trace ({@code error_trace=true}), or {@code null}
     * @param node the node involved, or {@code null}
     * @param statement the statement (already truncated for display), or {@code null}
     * @param cause the underlying error, or {@code null}
     */
    public CrateException(String message, int errorCode, int httpStatus, @Nullable String errorTrace, @Nullable Node node,
                          @Nullable String statement, @Nullable Throwable cause) {
        this(message, errorCode, httpStatus, errorTrace, node, statement, cause, false, false);
    }

    /**
     * @param message what happened; must not contain credentials
     * @param errorCode CrateDB's error code, or {@link #NO_ERROR_CODE}
     * @param httpStatus the response status, or {@link #NO_HTTP_STATUS}
     * @param errorTrace the server-side stack trace ({@code error_trace=true}), or {@code null}
     * @param node the node involved, or {@code null}
     * @param statement the statement (already truncated for display), or {@code null}
     * @param cause the underlying error, or {@code null}
     * @param retryable whether the same call, repeated, may succeed (see {@link #isRetryable()})
     * @param statementMayHaveRun whether the statement may have run although the call failed
     *                            (see {@link #statementMayHaveRun()})
     */
    public CrateException(String message, int errorCode, int httpStatus, @Nullable String errorTrace, @Nullable Node node,
                          @Nullable String statement, @Nullable Throwable cause, boolean retryable, boolean statementMayHaveRun) {
        super(message, cause);
        this.retryable = retryable;
        this.statementMayHaveRun = statementMayHaveRun;
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
        this.errorTrace = errorTrace;
        this.node = node;
        this.statement = statement;
    }

    /** @return CrateDB's error code (e.g. 4045 unknown schema), or {@link #NO_ERROR_CODE} */
    public int errorCode() {
        return errorCode;
    }

    /** @return the HTTP status of the response, or {@link #NO_HTTP_STATUS} when none arrived */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return the server-side stack trace, present when the client was built with {@code errorTrace(true)} */
    public Optional<String> errorTrace() {
        return Optional.ofNullable(errorTrace);
    }

    /** @return the node that answered or failed, if one was involved */
    public Optional<Node> node() {
        return Optional.ofNullable(node);
    }

    /** @return the statement, truncated to a readable length, if one was involved */
    public Optional<String> statement() {
        return Optional.ofNullable(statement);
    }

    /**
     * Whether the same call, repeated (later, or on another node), may succeed: true for overload (HTTP 429),
     * an unavailable cluster or shards (5002, 5030-5035) and connection failures; false for errors that would
     * repeat whatever the node (syntax, unknown table, rejected credentials, blocked table, TLS).
     * Independent of {@link #statementMayHaveRun()}: a retryable failure of a write whose statement may have run
     * is safe to repeat only when the statement is idempotent.
     *
     * @return whether repeating the call may succeed
     */
    public boolean isRetryable() {
        return retryable;
    }

    /**
     * Whether the statement may have run although this error was signalled: the request was written and no
     * answer says it did not run (a connection lost before the response, a read timeout), or the job was killed
     * while it ran (5005). False when CrateDB answered that it rejected or did not run the statement.
     *
     * @return whether the outcome on the server is unknown
     */
    public boolean statementMayHaveRun() {
        return statementMayHaveRun;
    }
}
