package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import dev.cratereactive.testing.Responder;
import dev.cratereactive.testing.Transcript;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The fault catalogue: what the client does when the node or a proxy misbehaves. */
class FaultToleranceTest extends SingleNodeTestSupport {

    private static final String SELECT = "SELECT x, 'row-' || x AS label, x * 1.5 AS half FROM generate_series(1, 1000) AS t(x)";
    private static final String BODY_1000 = Transcript.load("select-generated-1000").responseBody();


    @Test
    void refusedConnectionOnTheOnlyNodeIsAConnectionErrorAfterTheRetries() {
        int port = CrateTestServer.unusedPort();
        client = CrateClient.builder().maxRetries(2).nodes("http://127.0.0.1:" + port).build();
        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateConnectionException.class)
                    .hasMessageContaining("3 attempts failed")
                    .hasMessageContaining("127.0.0.1:" + port);
                assertThat(error.getSuppressed()).hasSize(3)
                    .allSatisfy(s -> assertThat(s).isInstanceOf(CrateConnectionException.class));
            })
            .verify(WAIT);
    }

    @Test
    void retriesOfOneQueryOnOneNodeCountAsOneFailure() {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        int port = CrateTestServer.unusedPort();
        dev.cratereactive.internal.DefaultCrateClient single = new dev.cratereactive.internal.DefaultCrateClient(
            CrateClient.builder().maxRetries(3).nodes("http://127.0.0.1:" + port).toConfig(),
            dev.cratereactive.internal.DefaultCrateClient.Hooks.clock(clock::get));
        client = single;
        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> assertThat(error.getSuppressed()).hasSize(4))
            .verify(WAIT);
        Node node = client.nodes().get(0);
        assertThat(single.deadNodes().isDead(node)).isTrue();
        assertThat(single.deadNodes().snapshot(node).failures()).as("one failure, not four").isEqualTo(1);
        clock.addAndGet(Duration.ofSeconds(31).toNanos());
        // Due after the first 30 s only; then a HEAD / probe, not a statement, decides whether it is alive.
        assertThat(single.deadNodes().snapshot(node).remaining()).as("skipped for the first 30 s only").isZero();
    }

    @Test
    void proxyHtml502ForAReadIsRetriedOnTheSameSingleNodeAndSucceeds() {
        server.respond(Responder.sequence(Reply.proxyBadGateway(), Reply.proxyUnavailable(),
            Reply.transcript("select-simple")));
        connect(CrateClient.builder().maxRetries(3));
        StepVerifier.create(client.sql("SELECT 1 AS one, 'a' AS two").map(row -> row.get("two")))
            .expectNext("a").expectComplete().verify(WAIT);
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void proxy502IsAConnectionErrorNamingTheStatusAndTheNode() {
        server.respond(Reply.proxyBadGateway());
        connect(CrateClient.builder().maxRetries(0));
        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateConnectionException.class);
                assertThat(error.getSuppressed()).singleElement().satisfies(node -> {
                    assertThat(node).hasMessageContaining("HTTP 502").hasMessageContaining("502 Bad Gateway")
                        .hasMessageContaining(server.url());
                    assertThat(((CrateException) node).httpStatus()).isEqualTo(502);
                });
            })
            .verify(WAIT);
    }

    @Test
    void unavailableAfterTheRequestWasWrittenIsNotRetriedForAnInsert() {
        server.respond(Responder.sequence(Reply.proxyUnavailable(), Reply.transcript("bulk-success")));
        connect(CrateClient.builder().maxRetries(3));
        StepVerifier.create(client.execute("INSERT INTO t (x) VALUES (1)"))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateConnectionException.class)
                .hasMessageContaining("HTTP 503"))
            .verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void idempotentStatementsAreRetriedAfterTheRequestWasWritten() {
        server.respond(Responder.sequence(Reply.proxyUnavailable(),
            Reply.json(200, "{\"cols\":[],\"rowcount\":1,\"duration\":1.0}")));
        connect(CrateClient.builder().maxRetries(3));
        StepVerifier.create(client.execute(Statement.of("INSERT INTO t (x) VALUES (1) ON CONFLICT DO NOTHING").idempotent()))
            .assertNext(result -> assertThat(result.rowCount()).isEqualTo(1))
            .expectComplete().verify(WAIT);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void resetBeforeTheResponseIsRetriedForReads() {
        server.respond(Responder.sequence(Reply.resetBeforeResponse(), Reply.transcript("select-simple")));
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void resetBeforeTheResponseIsFinalForWrites() {
        server.respond(Responder.sequence(Reply.resetBeforeResponse(), Reply.transcript("bulk-success")));
        connect(CrateClient.builder());
        StepVerifier.create(client.bulk("INSERT INTO t (x) VALUES (?)", List.of(List.of(1))))
            .expectError(CrateConnectionException.class).verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void resetMidBodyDeliversTheCompleteRowsThenFailsWithoutRetry() {
        int cut = BODY_1000.indexOf("[101,");
        server.respond(Reply.resetMidBody(BODY_1000, cut + 3));
        connect(CrateClient.builder().maxRetries(3));
        StepVerifier.create(client.sql(SELECT).map(row -> row.get(0)))
            .expectNextCount(100)
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateConnectionException.class)
                .hasMessageContaining("after 100 rows"))
            .verify(WAIT);
        assertThat(server.requests()).as("rows were emitted: a retry would duplicate them").hasSize(1);
    }

    @Test
    void stallBeforeTheResponseTimesOut() {
        server.respond(Reply.stall());
        connect(CrateClient.builder().timeout(Duration.ofMillis(300)).maxRetries(3));
        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateTimeoutException.class)
                .hasMessageContaining("within the configured timeout"))
            .verify(WAIT);
        assertThat(server.requests()).as("a slow statement is not sent to a second node").hasSize(1);
    }

    @Test
    void stallMidBodyTimesOutAfterTheRowsThatArrived() {
        int cut = BODY_1000.indexOf("[11,");
        server.respond(Reply.stallMidBody(BODY_1000, cut));
        connect(CrateClient.builder().timeout(Duration.ofMillis(300)));
        StepVerifier.create(client.sql(SELECT))
            .expectNextCount(10)
            .expectError(CrateTimeoutException.class)
            .verify(WAIT);
    }

    @Test
    void stallOnAPooledConnectionTimesOutToo() {
        server.respond(Responder.sequence(Reply.transcript("select-simple"), Reply.stall()));
        connect(CrateClient.builder().timeout(Duration.ofSeconds(1))); // the first call must not time out
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        StepVerifier.create(client.sql("SELECT 1")).expectError(CrateTimeoutException.class).verify(WAIT);
        List<RecordedRequest> requests = server.requests();
        assertThat(requests.get(1).connectionId()).isEqualTo(requests.get(0).connectionId());
    }

    @Test
    void truncatedJsonIsAProtocolError() {
        server.respond(Reply.truncated(BODY_1000, BODY_1000.length() / 2));
        connect(CrateClient.builder());
        StepVerifier.create(client.sql(SELECT))
            .thenConsumeWhile(row -> true)
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateProtocolException.class)
                .hasMessageContaining(server.url()))
            .verify(WAIT);
    }

    @Test
    void htmlWithStatus200IsAProtocolError() {
        server.respond(Reply.text(200, "text/html", "<html><body>Welcome to nginx!</body></html>"));
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateProtocolException.class)
                .hasMessageContaining("text/html").hasMessageContaining("Welcome to nginx"))
            .verify(WAIT);
    }

    @Test
    void invalidJsonIsAProtocolErrorNotAJacksonException() {
        server.respond(Reply.json(200, "{\"cols\":[\"a\"],\"rows\":[[1,]]}"));
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateProtocolException.class)
                .hasCauseInstanceOf(dev.cratereactive.internal.codec.MalformedResponseException.class))
            .verify(WAIT);
    }

    @Test
    void notFoundHtmlFromAProxyIsAProtocolError() {
        server.respond(Reply.text(404, "text/html", "<html>no such path</html>"));
        connect(CrateClient.builder().maxRetries(3));
        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateProtocolException.class);
                assertThat(((CrateException) error).httpStatus()).isEqualTo(404);
            })
            .verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void backoffWaitsTheFactorDoubledBetweenRetries() {
        server.respond(Responder.sequence(Reply.proxyUnavailable(), Reply.proxyUnavailable(),
            Reply.proxyUnavailable(), Reply.transcript("select-simple")));
        connect(CrateClient.builder().maxRetries(3).backoffFactor(Duration.ofMillis(100)));
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        List<RecordedRequest> requests = server.requests();
        assertThat(requests).hasSize(4);
        long[] minimumGapsMillis = {100, 200, 400};
        for (int i = 0; i < minimumGapsMillis.length; i++) {
            long gap = (requests.get(i + 1).receivedNanos() - requests.get(i).receivedNanos()) / 1_000_000;
            assertThat(gap).as("wait before retry %d", i + 1).isGreaterThanOrEqualTo(minimumGapsMillis[i]);
        }
    }
}
