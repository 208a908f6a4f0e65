package dev.cratereactive.internal;

import dev.cratereactive.CrateAuthenticationException;
import dev.cratereactive.CrateConnectionException;
import dev.cratereactive.CrateDuplicateKeyException;
import dev.cratereactive.CrateError;
import dev.cratereactive.CrateException;
import dev.cratereactive.CrateProtocolException;
import dev.cratereactive.CrateSqlException;
import dev.cratereactive.CrateTimeoutException;
import dev.cratereactive.Node;
import dev.cratereactive.internal.codec.MalformedResponseException;
import dev.cratereactive.internal.routing.Statements;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;
import reactor.netty.http.client.PrematureCloseException;

/** The one place where failures become {@link CrateException}s with node, statement and server details. */
final class Errors {

    /** CrateDB's code for a duplicate primary key. */
    static final int DUPLICATE_KEY = 4091;

    private Errors() {
    }

    /** What kind of failure a raw error is, for the router. */
    enum Kind {
        /** The node failed: another node may do better. */
        NODE,
        /** Failed, but another node would fail the same way (TLS, timeout, protocol, statement). */
        FINAL
    }

    record Classified(CrateException exception, Kind kind) {
    }

    static CrateException fromServer(CrateError error, String trace, int status, Node node, String sql) {
        String statement = Statements.forDisplay(sql);
        String message = "CrateDB rejected the statement on " + node + " (HTTP " + status + ", code " + error.code()
            + "): " + error.message() + " -- statement: " + statement;
        if (error.code() == DUPLICATE_KEY) {
            return new CrateDuplicateKeyException(message, error.code(), status, trace, node, statement, null);
        }
        return new CrateSqlException(message, error.code(), status, trace, node, statement, null);
    }

    static CrateException authentication(int status, String body, Node node, String sql) {
        String statement = Statements.forDisplay(sql);
        return new CrateAuthenticationException(node + " rejected the credentials (HTTP " + status + "): "
            + body.strip(), CrateException.NO_ERROR_CODE, status, null, node, statement, null);
    }

    static CrateException unavailable(int status, String body, Node node, String sql) {
        String statement = Statements.forDisplay(sql);
        return new CrateConnectionException(node + " is unavailable: HTTP " + status + snippet(body),
            CrateException.NO_ERROR_CODE, status, null, node, statement, null);
    }

    static CrateException notCrateDb(int status, String contentType, String body, Node node, String sql) {
        String statement = Statements.forDisplay(sql);
        return new CrateProtocolException(node + " answered HTTP " + status + " with "
            + (contentType == null ? "no content type" : "content type " + contentType)
            + ", not a CrateDB JSON response" + snippet(body), CrateException.NO_ERROR_CODE, status, null, node,
            statement, null);
    }

    /**
     * @param error a raw failure of one exchange
     * @param status the response status if headers arrived, else {@link CrateException#NO_HTTP_STATUS}
     * @param rows rows decoded before the failure
     * @param sql the statement as the user wrote it
     * @return the exception users see and whether the node is to blame
     */
    static Classified classify(Throwable error, int status, long rows, Node node, String sql) {
        if (error instanceof CrateException crate) {
            return new Classified(crate, crate instanceof CrateConnectionException ? Kind.NODE : Kind.FINAL);
        }
        String statement = Statements.forDisplay(sql);
        String where = node + (status == CrateException.NO_HTTP_STATUS ? "" : " (after " + rows + " rows)");
        if (error instanceof MalformedResponseException) {
            return new Classified(new CrateProtocolException("Malformed response from " + where + ": "
                + error.getMessage(), CrateException.NO_ERROR_CODE, status, null, node, statement, error), Kind.FINAL);
        }
        if (error instanceof ReadTimeoutException) {
            return new Classified(new CrateTimeoutException("No response bytes from " + where
                + " within the configured timeout", CrateException.NO_ERROR_CODE, status, null, node, statement,
                error), Kind.FINAL);
        }
        if (error instanceof ConnectTimeoutException) {
            return new Classified(new CrateTimeoutException("Could not connect to " + node
                + " within the connect timeout", CrateException.NO_ERROR_CODE, status, null, node, statement,
                error), Kind.NODE);
        }
        SSLException tls = findCause(error, SSLException.class);
        if (tls != null) {
            return new Classified(new CrateConnectionException("TLS with " + node + " failed: " + tls.getMessage(),
                CrateException.NO_ERROR_CODE, status, null, node, statement, error), Kind.FINAL);
        }
        if (error instanceof ConnectException || error instanceof UnknownHostException
            || error instanceof PrematureCloseException || error instanceof ClosedChannelException
            || error instanceof IOException) {
            String what = status == CrateException.NO_HTTP_STATUS ? "Connection to " + node + " failed: "
                : "Connection to " + where + " broke: ";
            return new Classified(new CrateConnectionException(what + describe(error), CrateException.NO_ERROR_CODE,
                status, null, node, statement, error), Kind.NODE);
        }
        if (error instanceof RuntimeException && !error.getClass().getName().startsWith("io.netty")) {
            return new Classified(null, Kind.FINAL); // caller errors (bad parameters, JWT supplier) pass unchanged
        }
        return new Classified(new CrateConnectionException("Request to " + node + " failed: " + describe(error),
            CrateException.NO_ERROR_CODE, status, null, node, statement, error), Kind.FINAL);
    }

    /**
     * A cursor's or session's connection failed or closed after rows were delivered: nothing is retried.
     *
     * @param cause the failure
     * @param rows rows delivered before it
     * @param node the node
     * @param sql the statement as the user wrote it
     * @return the exception users see
     */
    static CrateConnectionException lostAfterRows(Throwable cause, long rows, Node node, String sql) {
        return new CrateConnectionException("Connection to " + node + " lost after " + rows + " rows: "
            + describe(cause), CrateException.NO_ERROR_CODE, cause instanceof CrateException crate
            ? crate.httpStatus() : CrateException.NO_HTTP_STATUS, null, node, Statements.forDisplay(sql), cause);
    }

    private static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        return ": " + Statements.fold(body, 300);
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
