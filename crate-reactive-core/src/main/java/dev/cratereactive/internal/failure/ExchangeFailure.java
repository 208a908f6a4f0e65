package dev.cratereactive.internal.failure;

import dev.cratereactive.CrateError;

/**
 * What one exchange reports when the node answered but not with rows: raw facts, turned into the exception users
 * see by {@link FailureClassifier} only. Cheap: no stack trace (the classified exception has the useful one).
 * No compatibility promise.
 */
public abstract sealed class ExchangeFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private ExchangeFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** CrateDB's error object ({@code {"error": {"code": .., "message": ..}}}), whatever the status. */
    public static final class ServerError extends ExchangeFailure {
        private static final long serialVersionUID = 1L;
        private final transient CrateError error;
        private final String trace;

        /**
         * @param error the error object
         * @param trace the server-side stack trace, or {@code null}
         */
        public ServerError(CrateError error, String trace) {
            super(error.message(), null);
            this.error = error;
            this.trace = trace;
        }

        /** @return the error object */
        public CrateError error() {
            return error;
        }

        /** @return the server-side stack trace, or {@code null} */
        public String trace() {
            return trace;
        }
    }

    /** An HTTP answer that is not a CrateDB result or error object (proxy page, 401 text, bare 429). */
    public static final class UnexpectedAnswer extends ExchangeFailure {
        private static final long serialVersionUID = 1L;
        private final String contentType;
        private final String body;

        /**
         * @param contentType the {@code Content-Type}, or {@code null}
         * @param body the start of the body, possibly empty
         */
        public UnexpectedAnswer(String contentType, String body) {
            super(body, null);
            this.contentType = contentType;
            this.body = body;
        }

        /** @return the {@code Content-Type}, or {@code null} */
        public String contentType() {
            return contentType;
        }

        /** @return the start of the body, possibly empty */
        public String body() {
            return body;
        }
    }

    /** The {@code Authorization} supplier (e.g. a JWT source) threw or returned {@code null}; nothing was sent. */
    public static final class AuthorizationFailed extends ExchangeFailure {
        private static final long serialVersionUID = 1L;

        /** @param cause what the supplier threw, or {@code null} when it returned {@code null} */
        public AuthorizationFailed(Throwable cause) {
            super("authorization supplier failed", cause);
        }
    }
}
