package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import dev.cratereactive.testing.Responder;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The client against an in-process server replaying real CrateDB 6.4.3 responses. */
class CrateClientTest extends SingleNodeTestSupport {

    @Test
    void streamsRowsWithTypedValues() {
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("SELECT * FROM doc.t_types ORDER BY id"))
            .assertNext(row -> {
                assertThat(row.size()).isEqualTo(24);
                assertThat(row.get("id")).isEqualTo(1);
                assertThat(row.get("t")).isEqualTo("héllo ✓ \uD83D\uDE80");
                assertThat(row.get("bi")).isEqualTo(9223372036854775806L);
                assertThat(row.get("n")).isEqualTo(new BigDecimal("123456789.125"));
                assertThat(row.get("ts")).isEqualTo(Instant.ofEpochMilli(1709202896789L));
                assertThat(row.get("o")).isEqualTo(Map.of("x", 1, "y", "why"));
                assertThat(row.metadata().columns().get(18).type()).isEqualTo(CrateType.arrayOf(CrateType.INTEGER));
            })
            .assertNext(row -> assertThat(row.get("b")).isNull())
            .assertNext(row -> assertThat(row.get("si")).isEqualTo((short) -32768))
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void sendsTheDocumentedRequest() {
        connect(CrateClient.builder().schema("custom").username("crate").password("pw"));
        StepVerifier.create(client.sql("SELECT $1 AS a, $2 AS b, $3 AS c", 1, "two", LocalDate.of(2024, 2, 29)))
            .expectNextCount(0).expectError(CrateSqlException.class).verify(WAIT);
        RecordedRequest request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo("/_sql?types");
        assertThat(request.header("content-type")).isEqualTo("application/json");
        assertThat(request.header("accept")).isEqualTo("application/json");
        assertThat(request.header("accept-encoding")).contains("gzip");
        assertThat(request.header("default-schema")).isEqualTo("custom");
        assertThat(request.header("authorization")).isEqualTo("Basic Y3JhdGU6cHc=");
        // Set once per node (the path is sent relative to the node's address): the node's host and port.
        assertThat(request.header("host")).isEqualTo("127.0.0.1:" + server.port());
        assertThat(request.header("user-agent")).startsWith("crate-reactive/");
        assertThat(request.header("content-length")).isEqualTo(Integer.toString(request.rawBodyLength()));
        assertThat(request.body()).matches("\\{\"stmt\":\"/\\* crate-reactive:[0-9a-f]{32} \\*/ SELECT \\$1 AS a, \\$2 AS b, \\$3 AS c\","
            + "\"args\":\\[1,\"two\",\"2024-02-29\"]}");
    }

    @Test
    void replaysParameterizedStatementsExactlyAsCrateDbReceivedThem() {
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("SELECT ? AS a, ? AS b, ? AS c", 42, "x", null))
            .assertNext(row -> {
                assertThat(row.get("a")).isEqualTo(42);
                assertThat(row.get("b")).isEqualTo("x");
                assertThat(row.get("c")).isNull();
                assertThat(row.metadata().columns().get(2).type()).isEqualTo(CrateType.NULL);
            })
            .expectComplete().verify(WAIT);
        assertThat(server.requests().get(0).json().path("args").toString()).isEqualTo("[42,\"x\",null]");
    }

    @Test
    void typeIdsOfANewerServerNeverFailTheQuery() {
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("SELECT 1 AS i, 'abc' AS u, [1.5, 2.5] AS a, {x=1, y=[true]} AS o, [[1]] AS p,"
                + " 12345678901234567890 AS big"))
            .assertNext(row -> {
                assertThat(row.metadata().columns()).extracting(column -> column.type().id())
                    .containsExactly(9, 99, CrateType.ARRAY_ID, 120, CrateType.ARRAY_ID, 97);
                assertThat(row.get("u")).isEqualTo("abc");
                assertThat(row.get("a", List.class)).isEqualTo(List.of(1.5, 2.5));
                assertThat(row.get("o")).isEqualTo(Map.of("x", 1, "y", List.of(true)));
                assertThat(row.get("big", BigDecimal.class)).isEqualTo(new BigDecimal("12345678901234567890"));
            })
            .expectComplete().verify(WAIT);
    }

    @Test
    void askForErrorTraceAndExposeIt() {
        server.respond(Reply.transcript("error-with-trace"));
        connect(CrateClient.builder().errorTrace(true));
        StepVerifier.create(client.sql("SELECT * FROM nope.t"))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateSqlException.class);
                CrateSqlException sql = (CrateSqlException) error;
                assertThat(sql.errorCode()).isEqualTo(4045);
                assertThat(sql.httpStatus()).isEqualTo(404);
                assertThat(sql.errorTrace()).hasValueSatisfying(trace ->
                    assertThat(trace).contains("io.crate.exceptions.SchemaUnknownException"));
                assertThat(sql.node()).hasValueSatisfying(node -> assertThat(node.port()).isEqualTo(server.port()));
                assertThat(sql.statement()).hasValue("SELECT * FROM nope.t");
                assertThat(sql.getMessage()).contains("SchemaUnknownException[Schema 'nope' unknown]", "4045",
                    server.url());
            })
            .verify(WAIT);
        assertThat(server.requests().get(0).uri()).isEqualTo("/_sql?types&error_trace=true");
    }

    @Test
    void executeReportsRowCountAndDuration() {
        server.respond(Reply.json(200, "{\"cols\":[],\"col_types\":[],\"rows\":[],\"rowcount\":3,\"duration\":12.5}"));
        connect(CrateClient.builder());
        StepVerifier.create(client.execute("UPDATE t SET x = ?", 1))
            .assertNext(result -> {
                assertThat(result.rowCount()).isEqualTo(3);
                assertThat(result.duration()).isEqualTo(Duration.ofNanos(12_500_000));
            })
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void gzippedResponsesAreDecompressed() throws java.io.IOException {
        String body = dev.cratereactive.testing.Transcript.load("select-simple").responseBody();
        java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
            gzip.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        server.respond(new Reply.Full(200, Map.of("content-type", Reply.JSON, "content-encoding", "gzip"),
            gzipped.toByteArray()));
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("SELECT 1 AS one, 'a' AS two").map(row -> row.get("two")))
            .expectNext("a").expectComplete().verify(WAIT);
    }

    @Test
    void aBulkAnswerWithoutResultsIsAProtocolError() {
        server.respond(Reply.transcript("select-simple"));
        connect(CrateClient.builder());
        StepVerifier.create(client.bulk("INSERT INTO t (x) VALUES (?)", List.of(List.of(1))))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateProtocolException.class)
                .hasMessageContaining("without \"results\"").hasMessageContaining(server.url()))
            .verify(WAIT);
    }

    @Test
    void statementsWithoutAResultSetStreamNoRows() {
        server.respond(Reply.transcript("insert-all-types"));
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("INSERT INTO t VALUES (1)")).expectComplete().verify(WAIT);
        StepVerifier.create(client.execute("INSERT INTO t VALUES (1)"))
            .assertNext(result -> {
                assertThat(result.rowCount()).isEqualTo(3);
                assertThat(result.metadata().columns()).isEmpty();
            })
            .expectComplete().verify(WAIT);
    }

    @Test
    void bulkReportsEveryRowIncludingFailures() {
        connect(CrateClient.builder());
        StepVerifier.create(client.bulk("INSERT INTO doc.t_bulk (id, v) VALUES (?, ?)",
                List.of(List.of(4, "d"), List.of(1, "dup"), List.of(5, "e"))))
            .assertNext(result -> {
                assertThat(result.results()).extracting(BulkResult.RowResult::rowCount).containsExactly(1L, -2L, 1L);
                assertThat(result.results().get(1).error()).hasValueSatisfying(error -> {
                    assertThat(error.code()).isEqualTo(4091);
                    assertThat(error.message()).startsWith("DuplicateKeyException");
                });
                assertThat(result.failedCount()).isEqualTo(1);
                assertThat(result.allSucceeded()).isFalse();
            })
            .expectComplete()
            .verify(WAIT);
        assertThat(server.requests().get(0).json().path("bulk_args").size()).isEqualTo(3);
    }

    @Test
    void emptyBulkCompletesWithoutIo() {
        connect(CrateClient.builder());
        StepVerifier.create(client.bulk("INSERT INTO t (x) VALUES (?)", List.of()))
            .assertNext(result -> assertThat(result.results()).isEmpty())
            .expectComplete().verify(WAIT);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void duplicateKeyHasItsOwnException() {
        connect(CrateClient.builder());
        StepVerifier.create(client.execute("INSERT INTO doc.t_types (id) VALUES (1)"))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateDuplicateKeyException.class)
                .extracting(e -> ((CrateException) e).httpStatus()).isEqualTo(409))
            .verify(WAIT);
    }

    @Test
    void rejectedCredentialsAreAnAuthenticationErrorNeverRetried() {
        server.respond(Reply.transcript("auth-basic-wrong-password"));
        connect(CrateClient.builder().username("alice").password("wrong").maxRetries(5));
        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateAuthenticationException.class)
                    .hasMessageContaining("password authentication failed")
                    .hasMessageNotContaining("wrong");
                assertThat(((CrateException) error).httpStatus()).isEqualTo(401);
            })
            .verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void missingPrivilegeIsAnSqlErrorWithHttp401() {
        server.respond(Reply.transcript("auth-missing-privilege"));
        connect(CrateClient.builder().username("alice"));
        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateSqlException.class);
                assertThat(((CrateException) error).errorCode()).isEqualTo(4011);
                assertThat(((CrateException) error).httpStatus()).isEqualTo(401);
            })
            .verify(WAIT);
    }

    @Test
    void jwtSupplierIsCalledForEveryRequest() {
        AtomicInteger tokens = new AtomicInteger();
        server.respond(Reply.transcript("select-simple"));
        connect(CrateClient.builder().jwt(() -> "token" + tokens.incrementAndGet()));
        for (int i = 0; i < 2; i++) {
            StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        }
        assertThat(server.requests()).extracting(r -> r.header("authorization"))
            .containsExactly("Bearer token1", "Bearer token2");
    }

    @Test
    void largeRequestsAreGzipped() {
        server.respond(Reply.transcript("bulk-success"));
        connect(CrateClient.builder().compressionThreshold(1024));
        List<List<Object>> rows = java.util.stream.IntStream.range(0, 500)
            .mapToObj(i -> List.<Object>of(i, "value-" + i)).toList();
        StepVerifier.create(client.bulk("INSERT INTO t (id, v) VALUES (?, ?)", rows))
            .expectNextCount(1).expectComplete().verify(WAIT);
        RecordedRequest request = server.requests().get(0);
        assertThat(request.header("content-encoding")).isEqualTo("gzip");
        assertThat(request.rawBodyLength()).isLessThan(request.body().length() / 2);
        assertThat(request.json().path("bulk_args").size()).isEqualTo(500);
    }

    @Test
    void smallRequestsAreNotCompressed() {
        server.respond(Reply.transcript("select-simple"));
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(server.requests().get(0).header("content-encoding")).isNull();
    }

    @Test
    void badParametersFailBeforeAnyIo() {
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("SELECT ?", new Object()))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object"))
            .verify(WAIT);
        assertThat(server.connectionsOpened()).isZero();
    }

    @Test
    void connectionIsReusedAfterSuccessAndClosedAfterAnErrorResponse() {
        server.respond(Responder.sequence(Reply.transcript("select-simple"), Reply.transcript("select-simple"),
            Reply.transcript("error-syntax"), Reply.transcript("select-simple")));
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        awaitPoolRelease(); // the pool takes the connection back just after the subscriber saw completion
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        awaitPoolRelease();
        StepVerifier.create(client.sql("SELEC 1")).expectError(CrateSqlException.class).verify(WAIT);
        awaitPoolRelease();
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        List<RecordedRequest> requests = server.requests();
        assertThat(requests.get(1).connectionId()).isEqualTo(requests.get(0).connectionId());
        assertThat(requests.get(2).connectionId()).isEqualTo(requests.get(0).connectionId());
        assertThat(requests.get(3).connectionId()).isNotEqualTo(requests.get(2).connectionId());
    }

    @Test
    void thePoolCountsTheConnectionInUseUntilTheExchangeEnds() {
        server.respond(Reply.stall());
        // no server-side kill: its lookup would take a second connection from the pool while this one goes back
        connect(CrateClient.builder().maxRetries(0).cancelOnServer(false));
        var transport = ((dev.cratereactive.internal.DefaultCrateClient) client).transport();
        reactor.core.Disposable running = client.sql("SELECT 1").subscribe(row -> { }, error -> { });
        dev.cratereactive.testing.Await.until("the request reached the server", WAIT,
            () -> !server.requests().isEmpty());
        assertThat(transport.acquiredConnections()).isEqualTo(1);
        running.dispose();
        awaitPoolRelease();
    }

    @Test
    void maxConnectionsBoundsTheRequestsInFlight() {
        server.respond(Reply.delayed(java.time.Duration.ofMillis(20), Reply.transcript("select-simple")));
        connect(CrateClient.builder().maxConnections(2));
        StepVerifier.create(reactor.core.publisher.Flux.range(0, 12).flatMap(i -> client.sql("SELECT 1"), 12))
            .expectNextCount(12).expectComplete().verify(WAIT);
        assertThat(server.maxInFlight()).isBetween(1, 2);
        assertThat(server.connectionsOpened()).isLessThanOrEqualTo(2);
    }

    @Test
    void everySubscriptionRunsTheStatementAgain() {
        server.respond(Reply.transcript("select-simple"));
        connect(CrateClient.builder());
        var rows = client.sql("SELECT 1");
        assertThat(server.requests()).isEmpty();
        StepVerifier.create(rows).expectNextCount(1).expectComplete().verify(WAIT);
        StepVerifier.create(rows).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void closedClientRejectsQueriesAndClosesConnections() {
        server.respond(Reply.transcript("select-simple"));
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        client.close();
        StepVerifier.create(client.sql("SELECT 1")).expectError(IllegalStateException.class).verify(WAIT);
        awaitOpenConnections(0);
    }

    private void awaitOpenConnections(int expected) {
        dev.cratereactive.testing.Await.until(expected + " open connections on the server", WAIT,
            () -> server.openConnections() == expected);
        assertThat(server.openConnections()).isEqualTo(expected);
    }
}
