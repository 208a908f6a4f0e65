package dev.cratereactive.internal.failure;

import static dev.cratereactive.internal.failure.FailureClassifier.Decision.FINAL;
import static dev.cratereactive.internal.failure.FailureClassifier.Decision.RETRY_LATER;
import static dev.cratereactive.internal.failure.FailureClassifier.Decision.RETRY_OTHER_NODE;
import static org.assertj.core.api.Assertions.assertThat;

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
import dev.cratereactive.internal.failure.FailureClassifier.Decision;
import dev.cratereactive.internal.failure.FailureClassifier.Exchange;
import dev.cratereactive.internal.failure.FailureClassifier.Outcome;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

/** The classification table, row by row: the README's exception table and retry rules say the same. */
class FailureClassifierTest {

    private static final Node NODE = new Node("http", "10.0.0.1", 4200, "");
    private static final String INSERT = "INSERT INTO t (x) VALUES (?)";
    private static final String SELECT = "SELECT x FROM t";

    /** Nothing written yet (connect phase); a write. */
    private static Exchange notWritten() {
        return new Exchange(NODE, INSERT, false, false, CrateException.NO_HTTP_STATUS, 0);
    }

    /** Request written, no response; a read or an idempotent statement when {@code repeatable}. */
    private static Exchange written(boolean repeatable) {
        return new Exchange(NODE, repeatable ? SELECT : INSERT, repeatable, true, CrateException.NO_HTTP_STATUS, 0);
    }

    /** Response headers arrived with {@code status}, no rows yet; a write unless {@code repeatable}. */
    private static Exchange answered(int status, boolean repeatable) {
        return new Exchange(NODE, repeatable ? SELECT : INSERT, repeatable, true, status, 0);
    }

    private static ExchangeFailure.ServerError server(int code) {
        return server(code, "message of " + code);
    }

    private static ExchangeFailure.ServerError server(int code, String message) {
        return new ExchangeFailure.ServerError(new CrateError(code, message), null);
    }

    private static Arguments row(String name, Throwable failure, Exchange exchange, Class<?> type, boolean retryable,
                                 boolean mayHaveRun, Decision decision, boolean nodeFailed) {
        return Arguments.of(name, failure, exchange, type, retryable, mayHaveRun, decision, nodeFailed);
    }

    static Stream<Arguments> table() {
        Stream<Arguments> fixed = Stream.of(
            row("connect refused", new ConnectException("Connection refused"), notWritten(),
                CrateConnectionException.class, true, false, RETRY_OTHER_NODE, true),
            row("unknown host", new UnknownHostException("nope.invalid"), notWritten(),
                CrateConnectionException.class, true, false, RETRY_OTHER_NODE, true),
            row("connect timeout", new ConnectTimeoutException("connection timed out"), notWritten(),
                CrateTimeoutException.class, true, false, RETRY_OTHER_NODE, true),
            row("reset before the request was written, write", new IOException("Connection reset by peer"),
                notWritten(), CrateConnectionException.class, true, false, RETRY_OTHER_NODE, true),
            row("reset before the response, read", new IOException("Connection reset by peer"), written(true),
                CrateConnectionException.class, true, true, RETRY_OTHER_NODE, true),
            row("reset before the response, write", new IOException("Connection reset by peer"), written(false),
                CrateConnectionException.class, true, true, FINAL, true),
            row("reset mid-body, read with rows emitted", new IOException("Connection reset by peer"),
                new Exchange(NODE, SELECT, true, true, 200, 100), CrateConnectionException.class, true, true, FINAL,
                true),
            row("AbortedException before send, write", AbortedException.beforeSend(), notWritten(),
                CrateConnectionException.class, true, false, RETRY_OTHER_NODE, true),
            row("PrematureCloseException, read", PrematureCloseException.TEST_EXCEPTION, written(true),
                CrateConnectionException.class, true, true, RETRY_OTHER_NODE, true),
            row("PrematureCloseException, write", PrematureCloseException.TEST_EXCEPTION, written(false),
                CrateConnectionException.class, true, true, FINAL, true),
            row("not HTTP: invalid version format", new IllegalArgumentException("invalid version format: E"),
                written(false), CrateProtocolException.class, true, false, RETRY_OTHER_NODE, true),
            row("not HTTP: decoder exception", new DecoderException("bad"), written(false),
                CrateProtocolException.class, true, false, RETRY_OTHER_NODE, true),
            row("not HTTP: endless first line (a non-HTTP server)",
                new TooLongHttpLineException("An HTTP line is larger than 4096 bytes."), written(false),
                CrateProtocolException.class, true, false, RETRY_OTHER_NODE, true),
            row("TLS handshake failure", new DecoderException(new SSLHandshakeException("PKIX path building failed")),
                notWritten(), CrateConnectionException.class, false, false, FINAL, false),
            row("read timeout, write", ReadTimeoutException.INSTANCE, written(false), CrateTimeoutException.class,
                true, true, FINAL, false),
            row("401", new ExchangeFailure.UnexpectedAnswer(null, "password authentication failed for user"),
                answered(401, true), CrateAuthenticationException.class, false, false, FINAL, false),
            row("429 bare, write", new ExchangeFailure.UnexpectedAnswer(null, ""), answered(429, false),
                CrateConnectionException.class, true, false, RETRY_LATER, false),
            row("502 proxy HTML, read", new ExchangeFailure.UnexpectedAnswer("text/html", "<h1>502</h1>"),
                answered(502, true), CrateConnectionException.class, true, true, RETRY_OTHER_NODE, true),
            row("502 proxy HTML, write", new ExchangeFailure.UnexpectedAnswer("text/html", "<h1>502</h1>"),
                answered(502, false), CrateConnectionException.class, true, true, FINAL, true),
            row("503 proxy HTML, read", new ExchangeFailure.UnexpectedAnswer("text/html", "<h1>503</h1>"),
                answered(503, true), CrateConnectionException.class, true, true, RETRY_OTHER_NODE, true),
            row("504 proxy HTML, write", new ExchangeFailure.UnexpectedAnswer("text/html", "<h1>504</h1>"),
                answered(504, false), CrateConnectionException.class, true, true, FINAL, true),
            row("other HTTP answer (nginx 404)", new ExchangeFailure.UnexpectedAnswer("text/html", "Welcome to nginx"),
                answered(404, true), CrateProtocolException.class, false, false, FINAL, false),
            row("4007 blocks.write", server(4007), answered(400, false), CrateBlockedException.class, false, false,
                FINAL, false),
            row("4000 syntax", server(4000), answered(400, true), CrateSqlException.class, false, false, FINAL, false),
            row("4091 duplicate key", server(4091), answered(409, false), CrateDuplicateKeyException.class, false,
                false, FINAL, false),
            row("5005 job killed, write", server(5005), answered(500, false), CrateSqlException.class, true, true,
                FINAL, false),
            row("5000 unhandled", server(5000), answered(500, true), CrateSqlException.class, false, false, FINAL,
                false),
            row("5005 a node left, read", server(5005, "JobKilledException[Job killed. Participating node"
                + " D2_5L2LhS7ilucsSho8MFQ disconnected]"), answered(500, true), CrateSqlException.class, true, true,
                RETRY_LATER, false),
            row("5005 a node left, write", server(5005, "JobKilledException[Job killed. Participating node"
                + " D2_5L2LhS7ilucsSho8MFQ disconnected]"), answered(500, false), CrateSqlException.class, true, true,
                FINAL, false),
            row("5005 KILL, read", server(5005, "JobKilledException[Job killed. KILL invoked by user: crate]"),
                answered(500, true), CrateSqlException.class, true, true, FINAL, false),
            row("5000 node not connected, read", server(5000, "NodeNotConnectedException[[c2][127.0.0.1:4312] Node"
                + " not connected]"), answered(500, true), CrateSqlException.class, true, true, RETRY_LATER, false),
            row("5000 node not connected, write", server(5000, "NodeNotConnectedException[[c2][127.0.0.1:4312] Node"
                + " not connected]"), answered(500, false), CrateSqlException.class, false, false, FINAL, false),
            row("5002 shard unavailable, read", server(5002, "UnavailableShardsException[[doc.t] shard 3 is not"
                + " available]"), answered(500, true), CrateSqlException.class, true, true, RETRY_LATER, false),
            row("5005 a node left, read, after rows (a cursor's later page)", server(5005, "JobKilledException[Job"
                + " killed. Participating node D2_5L2LhS7ilucsSho8MFQ disconnected]"),
                new Exchange(NODE, SELECT, true, true, 500, 10_000), CrateSqlException.class, true, true, FINAL,
                false),
            row("5000 other error that names no node, read", server(5000, "IllegalStateException[Cursor `c` already"
                + " exists]"), answered(500, true), CrateSqlException.class, false, false, FINAL, false),
            row("truncated JSON", new MalformedResponseException("the body ended after 26 bytes", null),
                answered(200, true), CrateProtocolException.class, false, true, FINAL, false),
            row("JWT supplier throws", new ExchangeFailure.AuthorizationFailed(new IllegalStateException("expired")),
                notWritten(), CrateAuthenticationException.class, false, false, FINAL, false),
            row("JWT supplier returns null", new ExchangeFailure.AuthorizationFailed(null), notWritten(),
                CrateAuthenticationException.class, false, false, FINAL, false),
            row("anything else", new IllegalStateException("unexpected"), answered(200, true),
                CrateConnectionException.class, false, true, FINAL, false));
        Stream<Arguments> unavailable = IntStream.rangeClosed(5030, 5035).mapToObj(code ->
            row("503 JSON " + code + ", write", server(code), answered(503, false), CrateSqlException.class, true,
                false, RETRY_LATER, false));
        Stream<Arguments> blocked = IntStream.rangeClosed(4031, 4037).mapToObj(code ->
            row(code + " cluster block, write", server(code), answered(403, false), CrateBlockedException.class,
                false, false, FINAL, false));
        return Stream.of(fixed, unavailable, blocked).flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void classifies(String name, Throwable failure, Exchange exchange, Class<?> type, boolean retryable,
                    boolean mayHaveRun, Decision decision, boolean nodeFailed) {
        Outcome outcome = FailureClassifier.classify(failure, exchange);
        CrateException error = outcome.exception();
        assertThat(error).isExactlyInstanceOf(type);
        assertThat(error.isRetryable()).as("isRetryable").isEqualTo(retryable);
        assertThat(error.statementMayHaveRun()).as("statementMayHaveRun").isEqualTo(mayHaveRun);
        assertThat(outcome.decision()).as("decision").isEqualTo(decision);
        assertThat(outcome.nodeFailed()).as("nodeFailed").isEqualTo(nodeFailed);
        assertThat(error.node()).contains(NODE);
        assertThat(error.statement()).contains(exchange.statement());
        assertThat(error.httpStatus()).isEqualTo(exchange.status());
        assertThat(error.getMessage()).contains(NODE.toString());
        if (failure instanceof ExchangeFailure.ServerError server) {
            assertThat(error.errorCode()).isEqualTo(server.error().code());
            assertThat(error.getMessage()).contains(server.error().message());
        } else {
            assertThat(error.errorCode()).isEqualTo(CrateException.NO_ERROR_CODE);
        }
    }

    @Test
    void aThrowingAuthorizationSupplierIsNamedWithoutItsMessage() {
        IllegalStateException thrown = new IllegalStateException("token eyJhbGciOi.secret expired");
        CrateException error = FailureClassifier.classify(new ExchangeFailure.AuthorizationFailed(thrown),
            notWritten()).exception();
        assertThat(error).hasMessageContaining("Authorization supplier threw java.lang.IllegalStateException")
            .hasMessageContaining("nothing was sent").hasMessageNotContaining("eyJhbGciOi");
        assertThat(error).hasCause(thrown);
    }

    @Test
    void aCursorPageLostBeforeItsResponseSaysHowManyRowsWentOutAndIsFinal() {
        // A FETCH after 20,000 rows of earlier pages: no status for this request, but rows went downstream.
        Exchange fetch = new Exchange(NODE, SELECT, true, true, CrateException.NO_HTTP_STATUS, 20_000);
        FailureClassifier.Outcome reset = FailureClassifier.classify(new java.io.IOException("Connection reset"), fetch);
        assertThat(reset.exception()).isInstanceOf(CrateConnectionException.class)
            .hasMessageContaining("after 20000 rows");
        assertThat(reset.decision()).isEqualTo(Decision.FINAL);

        FailureClassifier.Outcome refused = FailureClassifier.classify(new IllegalStateException(
            "the pinned connection was closed"), fetch);
        assertThat(refused.exception()).isInstanceOf(CrateConnectionException.class)
            .hasMessageContaining("after 20000 rows").hasMessageContaining("the pinned connection was closed");
        assertThat(refused.decision()).isEqualTo(Decision.FINAL);
        assertThat(refused.nodeFailed()).as("a closed session connection is not a dead node").isFalse();

        // The pinned connection closed between two pages, and the pool tried a new one to a node that refuses.
        FailureClassifier.Outcome reconnect = FailureClassifier.classify(new java.net.ConnectException(
            "Connection refused"), new Exchange(NODE, SELECT, true, false, CrateException.NO_HTTP_STATUS, 20_000));
        assertThat(reconnect.exception()).isInstanceOf(CrateConnectionException.class)
            .hasMessageContaining("after 20000 rows").hasMessageContaining("Connection refused");
        assertThat(reconnect.decision()).isEqualTo(Decision.FINAL);
    }

    @Test
    void exhaustedRetriesCarryTheLastAttemptsCodeAndStatusAndEveryAttempt() {
        CrateException first = FailureClassifier.classify(new ConnectException("refused"), notWritten()).exception();
        CrateException last = FailureClassifier.classify(server(5032), answered(503, false)).exception();
        CrateException error = FailureClassifier.exhausted(List.of(first, last), INSERT);
        assertThat(error).isInstanceOf(CrateConnectionException.class).hasMessageContaining("2 attempts failed")
            .hasMessageContaining("refused").hasMessageContaining("message of 5032").hasCause(last);
        assertThat(error.errorCode()).isEqualTo(5032);
        assertThat(error.httpStatus()).isEqualTo(503);
        assertThat(error.isRetryable()).isTrue();
        assertThat(error.statementMayHaveRun()).isFalse();
        assertThat(error.node()).contains(NODE);
        assertThat(error.getSuppressed()).containsExactly(first, last);
    }
}
