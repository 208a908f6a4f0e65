package dev.cratereactive;

import java.util.Optional;

/**
 * The root of every error this client signals (all unchecked). It carries what the server said, where, and
 * about which statement. Messages never contain credentials.
 *
 * <p>Subtypes: {@link CrateSqlException} (statement rejected), {@link CrateDuplicateKeyException},
 * {@link CrateAuthenticationException}, {@link CrateConnectionException}, {@link CrateTimeoutException},
 * {@link CrateProtocolException}.
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

    /**
     * @param message what happened; must not contain credentials
     * @param errorCode CrateDB's error code, or {@link #NO_ERROR_CODE}
     * @param httpStatus the response status, or {@link #NO_HTTP_STATUS}
     * @param errorTrace the server-side stack trace ({@code error_trace=true}), or {@code null}
     * @param node the node involved, or {@code null}
     * @param statement the statement (already truncated for display), or {@code null}
     * @param cause the underlying error, or {@code null}
     */
    public CrateException(String message, int errorCode, int httpStatus, String errorTrace, Node node,
                          String statement, Throwable cause) {
        super(message, cause);
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
}
