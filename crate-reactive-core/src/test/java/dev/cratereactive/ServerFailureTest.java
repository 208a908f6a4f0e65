package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.Reply;
import dev.cratereactive.testing.Responder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The fault catalogue for what CrateDB itself answers when it cannot run a statement, and for non-HTTP nodes. */
class ServerFailureTest extends SingleNodeTestSupport {

    private static final String INSERT = "INSERT INTO t (x) VALUES (1)";
    private static final String OK = "{\"cols\":[],\"rowcount\":1,\"duration\":1.0}";
    private static final String UNAVAILABLE = "{\"error\":{\"message\":\"ClusterBlockException[blocked by: "
        + "[SERVICE_UNAVAILABLE/1/state not recovered / initialized];]\",\"code\":5030}}";

    private CrateClientBuilder fastRetries(int maxRetries) {
        return CrateClient.builder().maxRetries(maxRetries).backoffFactor(Duration.ofMillis(1));
    }

    @Test
    void bareOverloadIsRetriedEvenForAWriteAndTheClosedConnectionIsNotReused() {
        server.respond(Responder.sequence(Reply.overloaded(), Reply.json(200, OK)));
        connect(fastRetries(3));
        StepVerifier.create(client.execute(INSERT))
            .assertNext(result -> assertThat(result.rowCount()).isEqualTo(1))
            .expectComplete().verify(WAIT);
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(1).connectionId()).isNotEqualTo(server.requests().get(0).connectionId());
    }

    @Test
    void overloadUntilTheRetriesRunOutCarriesTheLastStatusAndEveryAttempt() {
        server.respond(Reply.overloaded());
        connect(fastRetries(2));
        StepVerifier.create(client.execute(INSERT))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateConnectionException.class)
                    .hasMessageContaining("3 attempts failed").hasMessageContaining("overloaded");
                CrateException crate = (CrateException) error;
                assertThat(crate.httpStatus()).isEqualTo(429);
                assertThat(crate.isRetryable()).isTrue();
                assertThat(crate.statementMayHaveRun()).isFalse();
                assertThat(error.getSuppressed()).hasSize(3);
            })
            .verify(WAIT);
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void unavailable5030IsRetriedEvenForABulkWrite() {
        server.respond(Responder.sequence(Reply.json(503, UNAVAILABLE), Reply.transcript("bulk-success")));
        connect(fastRetries(3));
        StepVerifier.create(client.bulk("INSERT INTO t (x) VALUES (?)", List.of(List.of(1))))
            .assertNext(result -> assertThat(result.failedCount()).isZero())
            .expectComplete().verify(WAIT);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void unavailableUntilTheRetriesRunOutCarriesCode5030() {
        server.respond(Reply.json(503, UNAVAILABLE));
        connect(fastRetries(1));
        StepVerifier.create(client.execute(INSERT))
            .expectErrorSatisfies(error -> {
                CrateException crate = (CrateException) error;
                assertThat(crate.errorCode()).isEqualTo(5030);
                assertThat(crate.httpStatus()).isEqualTo(503);
                assertThat(crate.getCause()).isInstanceOf(CrateSqlException.class);
                assertThat(error.getSuppressed()).hasSize(2);
            })
            .verify(WAIT);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aReadThatFailedBecauseANodeLeftTheClusterIsTriedAgain() {
        for (String leftNode : List.of("node-left-job-killed", "node-left-not-connected",
                "node-left-shards-unavailable")) {
            int before = server.requests().size();
            server.respond(Responder.sequence(Reply.transcript(leftNode), Reply.transcript("select-simple")));
            connect(fastRetries(3));
            StepVerifier.create(client.sql("SELECT 1 AS one, 'a' AS two").count())
                .as(leftNode).expectNext(1L).expectComplete().verify(WAIT);
            assertThat(server.requests()).as(leftNode).hasSize(before + 2);
            client.close();
        }
    }

    @Test
    void aWriteThatFailedBecauseANodeLeftTheClusterIsNotSentAgain() {
        server.respond(Reply.transcript("node-left-not-connected"));
        connect(fastRetries(3));
        StepVerifier.create(client.execute(INSERT))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateSqlException.class)
                .hasMessageContaining("NodeNotConnectedException").extracting("errorCode").isEqualTo(5000))
            .verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aShardNotFoundAfterANodeLeftIsFinalEvenForARead() {
        server.respond(Reply.transcript("node-left-shard-not-found"));
        connect(fastRetries(3));
        StepVerifier.create(client.sql("SELECT id, v FROM doc.node_left_probe WHERE id = ?", 131))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateSqlException.class)
                .extracting("errorCode").isEqualTo(4040))
            .verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void blockedWriteIs4007AndSentOnce() {
        server.respond(Reply.transcript("blocked-write-insert"));
        connect(fastRetries(3));
        StepVerifier.create(client.execute(INSERT))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateBlockedException.class)
                    .hasMessageContaining("doesn't support or allow INSERT operations");
                CrateException crate = (CrateException) error;
                assertThat(crate.errorCode()).isEqualTo(4007);
                assertThat(crate.httpStatus()).isEqualTo(400);
                assertThat(crate.isRetryable()).isFalse();
                assertThat(crate.statementMayHaveRun()).isFalse();
            })
            .verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void blockedReadIs4007AndSentOnceEvenForARead() {
        server.respond(Reply.transcript("blocked-read-select"));
        connect(fastRetries(3));
        StepVerifier.create(client.sql("SELECT id FROM t"))
            .expectError(CrateBlockedException.class).verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void readOnlyAllowDeleteIs4031To4037AndSentOnce() {
        server.respond(Reply.transcript("blocked-read-only-insert"));
        connect(fastRetries(3));
        StepVerifier.create(client.execute(Statement.of(INSERT).idempotent()))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateBlockedException.class)
                    .hasMessageContaining("read-only / allow delete");
                assertThat(((CrateException) error).errorCode()).isEqualTo(4037);
                assertThat(((CrateException) error).httpStatus()).isEqualTo(403);
            })
            .verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void readOnlyAllowDeleteInABulkStaysPerRowInTheResult() {
        server.respond(Reply.transcript("blocked-read-only-bulk"));
        connect(fastRetries(3));
        StepVerifier.create(client.bulk("INSERT INTO t (x) VALUES (?)", List.of(List.of(1), List.of(2))))
            .assertNext(result -> {
                assertThat(result.failedCount()).isEqualTo(2);
                assertThat(result.results()).allSatisfy(row ->
                    assertThat(row.error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(4037)));
            })
            .expectComplete().verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aNodeAnsweringBytesThatAreNotHttpIsAProtocolErrorAndTheNextNodeIsTried() {
        try (CrateTestServer healthy = CrateTestServer.start()) {
            server.respond(Reply.postgresError());
            healthy.respond(Reply.transcript("select-simple"));
            client = CrateClient.builder().maxRetries(1).backoffFactor(Duration.ofMillis(1))
                .nodeSelector(nodes -> nodes).nodes(server.url(), healthy.url()).build();
            StepVerifier.create(client.sql("SELECT 1 AS one, 'a' AS two").map(row -> row.get("two")))
                .expectNext("a").expectComplete().verify(WAIT);
            assertThat(server.requests()).hasSize(1);
            assertThat(healthy.requests()).hasSize(1);
        }
    }

    @Test
    void theOnlyNodeAnsweringBytesThatAreNotHttpIsAProtocolErrorNamingTheNode() {
        server.respond(Reply.postgresError());
        connect(fastRetries(0));
        StepVerifier.create(client.execute(INSERT))
            .expectErrorSatisfies(error -> {
                assertThat(error.getCause()).isInstanceOf(CrateProtocolException.class)
                    .hasMessageContaining("not an HTTP response").hasMessageContaining(server.url());
                assertThat(((CrateException) error.getCause()).statementMayHaveRun()).isFalse();
            })
            .verify(WAIT);
    }

    @Test
    void aThrowingJwtSupplierIsAFinalAuthenticationErrorWithoutTheToken() {
        connect(fastRetries(3).jwt(() -> {
            throw new IllegalStateException("refresh of token eyJhbGciOiJSUzI1NiJ9.secret failed");
        }));
        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateAuthenticationException.class)
                .hasMessageContaining("Authorization supplier threw").hasMessageNotContaining("eyJhbGciOiJSUzI1NiJ9"))
            .verify(WAIT);
        assertThat(server.requests()).isEmpty();
    }
}
