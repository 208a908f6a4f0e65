package dev.cratereactive;

import dev.cratereactive.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.internal.DefaultCrateClient;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.CursorNode;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import dev.cratereactive.testing.Transcript;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * {@code Statement.fetchSize}: a server-side cursor on a connection of its own, paged by demand, closed whatever
 * ends the subscription. The in-process node answers like CrateDB 6.4.3 ({@link CursorNode}).
 */
class CursorTest extends SingleNodeTestSupport {

    private static final String QUERY = "SELECT x, label FROM t WHERE x < ?";

    @Test
    void pagesGiveTheSameRowsMetadataAndTypesAsAPlainQuery() {
        CursorNode node = new CursorNode(25);
        server.respond(node);
        connect(CrateClient.builder());

        List<Row> plain = client.sql(QUERY, 100).collectList().block(WAIT);
        List<Row> paged = client.sql(Statement.of(QUERY, 100).fetchSize(10)).collectList().block(WAIT);

        assertThat(paged).hasSize(25);
        assertThat(values(paged)).isEqualTo(values(plain));
        assertThat(paged.get(24).metadata().columns()).isEqualTo(plain.get(0).metadata().columns());
        assertThat(paged.get(0).get("label")).isEqualTo("v0");
        assertThat(node.fetches()).as("10 + 10 + 5 rows: the short page is the last").isEqualTo(3);
    }

    @Test
    void declareFetchAndCloseGoOnOneConnectionWithQuotedNamesAndTheQueryParameters() {
        CursorNode node = new CursorNode(7);
        server.respond(node);
        connect(CrateClient.builder());

        StepVerifier.create(client.sql(Statement.of(QUERY + " ;", 8).fetchSize(3)))
            .expectNextCount(7)
            .expectComplete()
            .verify(WAIT);

        List<RecordedRequest> requests = server.requests();
        assertThat(requests).extracting(RecordedRequest::statement).hasSize(5);
        String declare = requests.get(0).statement();
        assertThat(declare).matches("DECLARE \"crate_reactive_cursor_\\d+\" NO SCROLL CURSOR WITH HOLD FOR "
            + "SELECT x, label FROM t WHERE x < \\?");
        assertThat(requests.get(0).json().path("args").get(0).asInt()).isEqualTo(8);
        String name = declare.substring("DECLARE ".length(), declare.indexOf(" NO SCROLL"));
        assertThat(requests.subList(1, 4)).extracting(RecordedRequest::statement)
            .containsOnly("FETCH 3 FROM " + name);
        assertThat(requests.get(4).statement()).isEqualTo("CLOSE " + name);
        assertThat(requests).extracting(RecordedRequest::connectionId).containsOnly(requests.get(0).connectionId());
        await(() -> server.openConnections() == 0, "the cursor's connection is closed, not pooled");
        // Released (forgotten) only after the close completed, which can be after the server saw it.
        await(() -> ((DefaultCrateClient) client).transport().pinnedConnections() == 0,
            "the pinned connection is released");
    }

    @Test
    void anExactMultipleOfTheFetchSizeEndsWithAnEmptyPage() {
        CursorNode node = new CursorNode(20);
        server.respond(node);
        connect(CrateClient.builder());

        StepVerifier.create(client.sql(Statement.of(QUERY, 1).fetchSize(10)))
            .expectNextCount(20)
            .expectComplete()
            .verify(WAIT);
        assertThat(node.fetches()).isEqualTo(3);
        assertThat(node.closedCursors()).hasSize(1);
    }

    @Test
    void aFetchIsSentOnlyWhenOutstandingDemandNeedsMoreRows() {
        CursorNode node = new CursorNode(100);
        server.respond(node);
        connect(CrateClient.builder());

        StepVerifier.create(client.sql(Statement.of(QUERY, 1).fetchSize(10)), 0)
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(200))
            .then(() -> assertThat(node.fetches()).as("no demand, no FETCH").isZero())
            .thenRequest(3)
            .expectNextCount(3)
            .thenRequest(7)
            .expectNextCount(7)
            .expectNoEvent(Duration.ofMillis(300))
            .then(() -> assertThat(node.fetches()).as("10 rows asked, one page of 10 fetched").isEqualTo(1))
            .thenRequest(1)
            .expectNextCount(1)
            .expectNoEvent(Duration.ofMillis(300))
            .then(() -> assertThat(node.fetches()).as("the 11th row needs the second page").isEqualTo(2))
            .thenRequest(25)
            .expectNextCount(25)
            .expectNoEvent(Duration.ofMillis(300))
            .then(() -> assertThat(node.fetches()).as("36 rows asked: four pages").isEqualTo(4))
            .thenCancel()
            .verify(WAIT);
    }

    @Test
    void aFailingFetchEmitsTheEarlierPagesThenTheErrorAndTheCursorEnds() {
        String divisionByZero = Transcript.load("cursor-fetch-fails").responseBody();
        CursorNode node = new CursorNode(100).failFetch((n, request) -> n == 2 ? Reply.json(400, divisionByZero) : null);
        server.respond(node);
        connect(CrateClient.builder());

        StepVerifier.create(client.sql(Statement.of(QUERY, 1).fetchSize(10)))
            .expectNextCount(10)
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateSqlException.class)
                .hasMessageContaining("/ by zero")
                .extracting(e -> ((CrateException) e).errorCode()).isEqualTo(4000))
            .verify(WAIT);

        // CrateDB keeps a cursor open after a failed FETCH: the client closes it, or closes its connection.
        await(() -> server.openConnections() == 0, "the cursor's connection is closed");
        assertThat(node.fetches()).isEqualTo(2);
        assertThat(server.requests()).extracting(RecordedRequest::connectionId)
            .containsOnly(server.requests().get(0).connectionId());
        // Released (forgotten) only after the close completed, which can be after the server saw it.
        await(() -> ((DefaultCrateClient) client).transport().pinnedConnections() == 0,
            "the pinned connection is released");
    }

    @Test
    void takingFewerRowsThanAPageCancelsAndLeavesNoCursorOrConnection() {
        CursorNode node = new CursorNode(1_000);
        server.respond(node);
        connect(CrateClient.builder());

        StepVerifier.create(client.sql(Statement.of(QUERY, 1).fetchSize(100)).take(5))
            .expectNextCount(5)
            .expectComplete()
            .verify(WAIT);

        await(() -> server.openConnections() == 0, "the cursor's connection is closed");
        assertThat(node.fetches()).isEqualTo(1);
        await(() -> ((DefaultCrateClient) client).transport().pinnedConnections() == 0, "the connection is released");
    }

    @Test
    void aNodeLostMidStreamFailsWithTheRowsDeliveredAndIsNotRetried() {
        CursorNode node = new CursorNode(100).failFetch((n, request) -> n == 3 ? Reply.resetBeforeResponse() : null);
        server.respond(node);
        connect(CrateClient.builder().maxRetries(3));

        StepVerifier.create(client.sql(Statement.of(QUERY, 1).fetchSize(10)))
            .expectNextCount(20)
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateConnectionException.class)
                .hasMessageContaining("after 20 rows"))
            .verify(WAIT);
        assertThat(server.requests()).extracting(RecordedRequest::statement)
            .filteredOn(stmt -> stmt.startsWith("DECLARE")).as("no failover after the first row").hasSize(1);
    }

    @Test
    void aNodeThatCannotBeReachedBeforeTheFirstRowFailsOverToTheNext() {
        CrateTestServer second = CrateTestServer.start();
        try {
            CursorNode node = new CursorNode(15);
            second.respond(node);
            client = CrateClient.builder()
                .nodes("http://127.0.0.1:" + CrateTestServer.unusedPort(), second.url())
                .nodeSelector(NodeSelector.inOrder())
                .build();

            StepVerifier.create(client.sql(Statement.of(QUERY, 1).fetchSize(10)))
                .expectNextCount(15)
                .expectComplete()
                .verify(WAIT);
            assertThat(node.closedCursors()).hasSize(1);
        } finally {
            second.close();
        }
    }

    @Test
    void theDefaultFetchSizeAppliesToSqlButNotToExecuteAndZeroTurnsItOff() {
        CursorNode node = new CursorNode(12);
        server.respond(node);
        connect(CrateClient.builder().defaultFetchSize(5));

        StepVerifier.create(client.sql(QUERY, 1)).expectNextCount(12).expectComplete().verify(WAIT);
        assertThat(node.fetches()).isEqualTo(3);

        StepVerifier.create(client.sql(Statement.of(QUERY, 1).fetchSize(0))).expectNextCount(12).expectComplete()
            .verify(WAIT);
        StepVerifier.create(client.execute(QUERY, 1)).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(node.fetches()).as("fetchSize(0) and execute() read without a cursor").isEqualTo(3);
        assertThat(server.requests()).extracting(RecordedRequest::statement).filteredOn(QUERY::equals).hasSize(2);
    }

    @Test
    void theDefaultFetchSizeLeavesStatementsCrateDbCannotDeclareAlone() {
        CursorNode node = new CursorNode(4);
        server.respond(node);
        connect(CrateClient.builder().defaultFetchSize(2));

        StepVerifier.create(client.sql("WITH a AS (SELECT 1) SELECT * FROM a")).expectNextCount(4).expectComplete()
            .verify(WAIT);
        StepVerifier.create(client.sql("VALUES (1), (2)")).expectNextCount(4).expectComplete().verify(WAIT);
        assertThat(server.requests()).extracting(RecordedRequest::statement)
            .startsWith("WITH a AS (SELECT 1) SELECT * FROM a")
            .anySatisfy(stmt -> assertThat(stmt).endsWith("NO SCROLL CURSOR WITH HOLD FOR VALUES (1), (2)"));
    }

    @Test
    void anExplicitFetchSizeOnAQueryCrateDbCannotDeclareFailsWithItsError() {
        server.respond(Reply.transcript("cursor-declare-with-query"));
        connect(CrateClient.builder());

        StepVerifier.create(client.sql(Statement.of("WITH a AS (SELECT 1 AS x) SELECT x FROM a").fetchSize(10)))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateSqlException.class)
                .hasMessageContaining("expecting {'SELECT', 'VALUES'}"))
            .verify(WAIT);
    }

    @Test
    void fetchSizesAreValidated() {
        assertThatThrownBy(() -> Statement.of("SELECT 1").fetchSize(-1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fetchSize").hasMessageContaining("-1");
        assertThatThrownBy(() -> CrateClient.builder().defaultFetchSize(-5).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultFetchSize")
            .hasMessageContaining("-5");
        assertThat(Statement.of("SELECT 1").fetchSize(10).fetchSize()).isEqualTo(10);
        assertThat(Statement.of("SELECT 1").fetchSize(10).idempotent().fetchSize()).isEqualTo(10);
        assertThat(Statement.of("SELECT 1").hasFetchSize()).isFalse();
        assertThat(Statement.of("SELECT 1").fetchSize(0).hasFetchSize()).isTrue();
    }

    @Test
    void aRejectedDeclareFailsWithTheServersErrorAndReleasesTheConnection() {
        server.respond(Reply.transcript("error-unknown-table"));
        connect(CrateClient.builder());

        StepVerifier.create(client.sql(Statement.of("SELECT * FROM missing", 1).fetchSize(10)))
            .expectError(CrateSqlException.class)
            .verify(WAIT);
        assertThat(server.requests()).hasSize(1);
        await(() -> ((DefaultCrateClient) client).transport().pinnedConnections() == 0, "the connection is released");
        await(() -> server.openConnections() == 0, "the connection is closed");
    }

    static List<List<Object>> values(List<Row> rows) {
        return rows.stream().map(row -> List.<Object>of(row.get(0), row.get(1))).toList();
    }

    static void await(BooleanSupplier condition, String what) {
        Await.until(what, WAIT, condition);
    }
}
