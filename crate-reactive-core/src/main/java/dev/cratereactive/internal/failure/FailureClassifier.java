package dev.cratereactive.internal.failure;

import dev.cratereactive.CrateAuthenticationException;
import dev.cratereactive.CrateBlockedException;
import dev.cratereactive.CrateConnectionException;
import dev.cratereactive.CrateDuplicateKeyException;
import dev.cratereactive.CrateError;
import dev.cratereactive.CrateException;
import dev.cratereactive.CrateProtocolException;
import dev.cratereactive.CrateSqlException;
import dev.cratereactive.CrateTimeoutException;
import dev.cratereactive.Node;
import dev.cratereactive.internal.codec.MalformedResponseException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import javax.net.ssl.SSLException;
import reactor.netty.channel.AbortedException;

/**
 * The one place where a failure of one exchange becomes the {@link CrateException} users see and the router's
 * decision. Pure: the answer depends on the arguments only. The table (README "Retries and failover"):
 *
 * <pre>
 * failure                               exception                  retryable  mayHaveRun  decision
 * connect refused / unknown host        Connection                 yes        no          other node
 * connect timeout                       Timeout                    yes        no          other node
 * reset, AbortedException, premature    Connection                 yes        if written  other node if safe
 *   close (before the response)
 * reset mid-body (rows emitted)         Connection                 yes        yes         final
 * answer that is not HTTP (decoder)     Protocol                   yes        no          other node
 * TLS handshake failure                 Connection                 no         no          final
 * read timeout                          Timeout                    yes        if written  final
 * 401                                   Authentication             no         no          final
 * 429 (bare, connection closed)         Connection                 yes        no          later
 * 502/503/504/509 from a proxy          Connection                 yes        if written  other node if safe
 * JSON error 5030-5035 (unavailable)    Sql                        yes        no          later
 * JSON error 4007, 4031-4037 (blocked)  Blocked                    no         no          final
 * JSON error 4091                       DuplicateKey               no         no          final
 * JSON error, a node left (5005         Sql                        yes        yes         later, if a read
 *   "Participating node .. disconnected",                                                   and no row yet;
 *   5000 NodeNotConnectedException,                                                         else as below
 *   5002 UnavailableShardsException)
 * JSON error 5005 (job killed)          Sql                        yes        yes         final
 * JSON error, any other code (4000 ..)  Sql                        no         no          final
 * other non-CrateDB HTTP answer         Protocol                   no         no          final
 * truncated or invalid JSON             Protocol                   no         if 200      final
 * Authorization supplier throws         Authentication             no         no          final
 * anything else                         Connection                 no         if written  final
 * </pre>
 *
 * "Other node if safe": retried while no row was emitted and either the statement did not run or it is
 * repeatable. Both retry decisions move on to the next node in the query's order (the same node when there is
 * one); "other node" also marks the node dead. No compatibility promise.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    /** What the router does after a failed attempt. */
    public enum Decision {
        /** The node failed: mark it dead and try the next node after the backoff. */
        RETRY_OTHER_NODE,
        /** The node answered that the statement did not run (overload, cluster not ready): try again later. */
        RETRY_LATER,
        /** Retrying cannot help or is not safe: the exception goes to the user. */
        FINAL
    }

    /**
     * What had happened when the failure arrived.
     *
     * @param node the node of the attempt
     * @param statement the statement, shortened for display
     * @param repeatable whether the statement may be sent again after it reached a node
     * @param requestWritten whether the whole request was written
     * @param status the response status, or {@link CrateException#NO_HTTP_STATUS} when none arrived
     * @param rowsEmitted rows that went downstream before the failure
     */
    public record Exchange(Node node, String statement, boolean repeatable, boolean requestWritten, int status,
                           long rowsEmitted) {
    }

    /**
     * @param exception what the user sees
     * @param decision what the router does
     * @param nodeFailed whether the node itself failed (refused, reset, not HTTP, proxy says unavailable): it is
     *                   skipped for a while, whether or not this statement is retried
     */
    public record Outcome(CrateException exception, Decision decision, boolean nodeFailed) {
    }

    /**
     * The exception for a query whose retries ran out: a {@link CrateConnectionException} that carries the last
     * attempt's code, status, node and flags, has the last attempt's exception as cause, and every attempt's
     * exception attached with {@link Throwable#addSuppressed}.
     *
     * @param attempts the exception of every attempt, in order; not empty
     * @param statement the statement, shortened for display
     * @return the exception users see
     */
    public static CrateException exhausted(List<CrateException> attempts, String statement) {
        CrateException last = attempts.get(attempts.size() - 1);
        StringBuilder message = new StringBuilder("No CrateDB node could run the statement: ")
            .append(attempts.size()).append(attempts.size() == 1 ? " attempt" : " attempts").append(" failed (");
        for (int i = 0; i < attempts.size(); i++) {
            message.append(i == 0 ? "" : "; ").append(attempts.get(i).getMessage());
        }
        message.append(')');
        CrateException error = new CrateConnectionException(message.toString(), last.errorCode(), last.httpStatus(),
            last.errorTrace().orElse(null), last.node().orElse(null), statement, last, last.isRetryable(),
            attempts.stream().anyMatch(CrateException::statementMayHaveRun));
        attempts.forEach(error::addSuppressed);
        return error;
    }

    /**
     * @param failure the raw failure of one exchange (a Netty or Reactor Netty error, an {@link ExchangeFailure},
     *                a {@link MalformedResponseException}, or an already classified {@link CrateException})
     * @param x what had happened
     * @return the exception and the decision; never {@code null}
     */
    public static Outcome classify(Throwable failure, Exchange x) {
        if (failure instanceof ExchangeFailure.ServerError server) {
            return serverError(server.error(), server.trace(), x);
        }
        if (failure instanceof ExchangeFailure.UnexpectedAnswer answer) {
            return unexpectedAnswer(answer, x);
        }
        if (failure instanceof ExchangeFailure.AuthorizationFailed auth) {
            Throwable cause = auth.getCause();
            String what = cause == null ? "returned null" : "threw " + cause.getClass().getName();
            // The supplier's message is left out: it may quote the token.
            return new Outcome(new CrateAuthenticationException("The Authorization supplier " + what
                + " before the request to " + x.node() + " was sent; nothing was sent",
                CrateException.NO_ERROR_CODE, x.status(), null, x.node(), x.statement(), cause, false, false),
                Decision.FINAL, false);
        }
        if (failure instanceof CrateException crate) {
            return new Outcome(crate, Decision.FINAL, false); // classified before (not expected)
        }
        return transportFailure(failure, x);
    }

    private static Outcome serverError(CrateError error, String trace, Exchange x) {
        int code = error.code();
        String message = "CrateDB rejected the statement on " + x.node() + " (HTTP " + x.status() + ", code " + code
            + "): " + error.message() + " -- statement: " + x.statement();
        if (ErrorCodes.isBlock(code)) {
            return new Outcome(new CrateBlockedException("The table or cluster is blocked on " + x.node() + " (HTTP "
                + x.status() + ", code " + code + "): " + error.message() + " -- statement: " + x.statement(), code,
                x.status(), trace, x.node(), x.statement(), null), Decision.FINAL, false);
        }
        if (code == ErrorCodes.DUPLICATE_KEY) {
            return new Outcome(new CrateDuplicateKeyException(message, code, x.status(), trace, x.node(),
                x.statement(), null, false, false), Decision.FINAL, false);
        }
        if (ErrorCodes.isUnavailable(code)) {
            return new Outcome(new CrateSqlException(message, code, x.status(), trace, x.node(), x.statement(), null,
                true, false), Decision.RETRY_LATER, false);
        }
        if (ErrorCodes.isNodeLeft(code, error.message()) && x.repeatable() && x.rowsEmitted() == 0) {
            // The cluster is losing a node: a read is tried again once the cluster reacted (a replica, the node).
            return new Outcome(new CrateSqlException(message, code, x.status(), trace, x.node(), x.statement(), null,
                true, true), Decision.RETRY_LATER, false);
        }
        boolean killed = code == ErrorCodes.JOB_KILLED;
        return new Outcome(new CrateSqlException(message, code, x.status(), trace, x.node(), x.statement(), null,
            killed, killed), Decision.FINAL, false);
    }

    private static Outcome unexpectedAnswer(ExchangeFailure.UnexpectedAnswer answer, Exchange x) {
        int status = x.status();
        if (status == ErrorCodes.HTTP_TOO_MANY_REQUESTS) {
            return new Outcome(new CrateConnectionException(x.node() + " is overloaded: HTTP 429"
                + snippet(answer.body()) + "; the statement did not run", CrateException.NO_ERROR_CODE, status, null,
                x.node(), x.statement(), null, true, false), Decision.RETRY_LATER, false);
        }
        if (status == 502 || status == 503 || status == 504 || status == 509) {
            // A proxy may have forwarded the request before it gave up: the statement may have run.
            return retryIfSafe(new CrateConnectionException(x.node() + " is unavailable: HTTP " + status
                + snippet(answer.body()), CrateException.NO_ERROR_CODE, status, null, x.node(), x.statement(), null,
                true, x.requestWritten()), x);
        }
        if (status == 401) {
            return new Outcome(new CrateAuthenticationException(x.node() + " rejected the credentials (HTTP " + status
                + "): " + answer.body().strip(), CrateException.NO_ERROR_CODE, status, null, x.node(), x.statement(),
                null, false, false), Decision.FINAL, false);
        }
        String contentType = answer.contentType();
        return new Outcome(new CrateProtocolException(x.node() + " answered HTTP " + status + " with "
            + (contentType == null ? "no content type" : "content type " + contentType)
            + ", not a CrateDB JSON response" + snippet(answer.body()), CrateException.NO_ERROR_CODE, status, null,
            x.node(), x.statement(), null, false, false), Decision.FINAL, false);
    }

    private static Outcome transportFailure(Throwable error, Exchange x) {
        Node node = x.node();
        int status = x.status();
        boolean answered = status != CrateException.NO_HTTP_STATUS;
        // Rows from earlier requests of the same call (cursor pages) count too: "after N rows" whenever rows went out.
        boolean midStream = answered || x.rowsEmitted() > 0;
        String where = node + (midStream ? " (after " + x.rowsEmitted() + " rows)" : "");
        if (error instanceof MalformedResponseException) {
            return new Outcome(new CrateProtocolException("Malformed response from " + where + ": "
                + error.getMessage(), CrateException.NO_ERROR_CODE, status, null, node, x.statement(), error, false,
                status == 200), Decision.FINAL, false);
        }
        if (error instanceof ReadTimeoutException) {
            return new Outcome(new CrateTimeoutException("No response bytes from " + where
                + " within the configured timeout", CrateException.NO_ERROR_CODE, status, null, node, x.statement(),
                error, true, x.requestWritten()), Decision.FINAL, false);
        }
        if (error instanceof ConnectTimeoutException) {
            return new Outcome(new CrateTimeoutException("Could not connect to " + node + " within the connect timeout",
                CrateException.NO_ERROR_CODE, status, null, node, x.statement(), error, true, false),
                Decision.RETRY_OTHER_NODE, true);
        }
        SSLException tls = findCause(error, SSLException.class);
        if (tls != null) {
            return new Outcome(new CrateConnectionException("TLS with " + node + " failed: " + tls.getMessage(),
                CrateException.NO_ERROR_CODE, status, null, node, x.statement(), error, false, false),
                Decision.FINAL, false);
        }
        if (!answered && (error instanceof DecoderException || error instanceof IllegalArgumentException)) {
            // Netty's HTTP decoder read bytes that are not an HTTP response: not a CrateDB HTTP port.
            return new Outcome(new CrateProtocolException(node + " answered with bytes that are not an HTTP response"
                + " (is it CrateDB's HTTP port, e.g. 4200, not the PostgreSQL port 5432?): " + describe(error),
                CrateException.NO_ERROR_CODE, status, null, node, x.statement(), error, true, false),
                Decision.RETRY_OTHER_NODE, true);
        }
        if (error instanceof ConnectException || error instanceof UnknownHostException) {
            // Mid-stream only on a cursor's pinned connection, when it closed between two pages: nothing to retry.
            return new Outcome(new CrateConnectionException("Connection to " + where + " failed: " + describe(error),
                CrateException.NO_ERROR_CODE, status, null, node, x.statement(), error, true, false),
                midStream ? Decision.FINAL : Decision.RETRY_OTHER_NODE, true);
        }
        if (error instanceof IOException || error instanceof AbortedException) {
            // IOException covers resets, ClosedChannelException and Reactor Netty's PrematureCloseException.
            String what = midStream ? "Connection to " + where + " broke: " : "Connection to " + node + " failed: ";
            return retryIfSafe(new CrateConnectionException(what + describe(error), CrateException.NO_ERROR_CODE,
                status, null, node, x.statement(), error, true, x.requestWritten()), x);
        }
        return new Outcome(new CrateConnectionException("Request to " + where + " failed: " + describe(error),
            CrateException.NO_ERROR_CODE, status, null, node, x.statement(), error, false, x.requestWritten()),
            Decision.FINAL, false);
    }

    /** A node failure: retried while nothing went downstream and the statement did not run or is repeatable. */
    private static Outcome retryIfSafe(CrateException exception, Exchange x) {
        boolean safe = x.rowsEmitted() == 0 && (!exception.statementMayHaveRun() || x.repeatable());
        return new Outcome(exception, safe ? Decision.RETRY_OTHER_NODE : Decision.FINAL, true);
    }

    private static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        return ": " + Texts.fold(body, 300);
    }

    private static <T extends Throwable> T findCause(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
