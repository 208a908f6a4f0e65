package dev.cratereactive;

import static dev.cratereactive.CursorTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.internal.DefaultCrateClient;
import dev.cratereactive.testing.CursorNode;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@code CrateClient.session}: statements in order on one pinned connection, configured like every other
 * connection, closed afterwards whatever the work does, and never silently replaced.
 */
class SessionTest extends SingleNodeTestSupport {

    private static final String QUERY = "SELECT x, label FROM t";

    @Test
    void statementsRunInOrderOnOneConnectionWhichIsClosedAfterwards() {
        CursorNode node = new CursorNode(3);
        server.respond(node);
        connect(CrateClient.builder().schema("custom").username("crate").password("pw"));

        StepVerifier.create(client.session(session -> session.execute("SET SESSION search_path TO custom")
                .thenMany(session.sql(QUERY))
                .concatWith(session.sql(Statement.of(QUERY).fetchSize(2)))
                .concatWith(session.bulk("INSERT INTO t (x) VALUES (?)", List.of(List.of(1))).thenMany(Flux.empty()))
                .map(row -> row.get("x", Integer.class))))
            .expectNext(0, 1, 2, 0, 1, 2)
            .expectComplete()
            .verify(WAIT);

        List<RecordedRequest> requests = server.requests();
        assertThat(requests).extracting(RecordedRequest::statement).startsWith("SET SESSION search_path TO custom", QUERY);
        assertThat(requests).extracting(RecordedRequest::connectionId).containsOnly(requests.get(0).connectionId());
        assertThat(requests.get(0).header("Default-Schema")).as("the transport's headers").isEqualTo("custom");
        assertThat(requests).allSatisfy(request -> assertThat(request.header("Authorization")).startsWith("Basic "));
        assertThat(node.closedCursors()).hasSize(1);
        await(() -> server.openConnections() == 0, "the session's connection is closed, not pooled");
        // Released (forgotten) only after the close completed, which can be after the server saw it.
        await(() -> ((DefaultCrateClient) client).transport().pinnedConnections() == 0,
            "the pinned connection is released");

        StepVerifier.create(client.sql(QUERY)).expectNextCount(3).expectComplete().verify(WAIT);
        assertThat(server.requests().get(server.requests().size() - 1).connectionId())
            .as("a later query never uses the session's connection").isNotEqualTo(requests.get(0).connectionId());
    }

    @Test
    void aFailingWorkStillClosesTheConnection() {
        server.respond(new CursorNode(3));
        connect(CrateClient.builder());

        StepVerifier.create(client.session(session -> session.execute("SET SESSION search_path TO custom")
                .then(Mono.error(new IllegalStateException("boom")))))
            .expectErrorMessage("boom")
            .verify(WAIT);
        await(() -> server.openConnections() == 0, "the session's connection is closed");
        // Released (forgotten) only after the close completed, which can be after the server saw it.
        await(() -> ((DefaultCrateClient) client).transport().pinnedConnections() == 0,
            "the pinned connection is released");
    }

    @Test
    void aCancelledWorkStillClosesTheConnection() {
        server.respond(new CursorNode(3));
        connect(CrateClient.builder());

        // Cancelled while the work waits between statements: a cancel while the SET is in flight would also (and
        // rightly) KILL it over a pooled connection, which stays open (ServerCancelTest covers that).
        AtomicBoolean betweenStatements = new AtomicBoolean();
        StepVerifier.create(client.session(session -> session.execute("SET SESSION search_path TO custom")
                .thenMany(Flux.never().doOnSubscribe(subscription -> betweenStatements.set(true)))))
            .expectSubscription()
            .then(() -> await(betweenStatements::get, "the SET was answered"))
            .thenCancel()
            .verify(WAIT);
        await(() -> server.openConnections() == 0, "the session's connection is closed");
        await(() -> ((DefaultCrateClient) client).transport().pinnedConnections() == 0, "released");
    }

    @Test
    void aConnectionClosedByTheServerIsNeverReplacedWithinTheSession() {
        AtomicInteger count = new AtomicInteger();
        // The first answer closes the connection (as a proxy or a restarting node would): the settings are gone.
        server.respond(request -> count.incrementAndGet() == 1
            ? new Reply.Full(200, Map.of("content-type", Reply.JSON, "connection", "close"),
                "{\"cols\":[],\"col_types\":[],\"rows\":[[]],\"rowcount\":0,\"duration\":0.5}".getBytes())
            : Reply.json(200, CursorNode.page(0, 1)));
        connect(CrateClient.builder());

        StepVerifier.create(client.session(session -> session.execute("SET SESSION statement_timeout = '5s'")
                .thenMany(session.sql(QUERY))))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateConnectionException.class)
                .hasMessageContaining("session settings are gone"))
            .verify(WAIT);
        assertThat(server.requests()).as("the query was not sent without the session's settings").hasSize(1);
        assertThat(server.connectionsOpened()).isEqualTo(1);
    }

    @Test
    void aStatementSubscribedAfterTheSessionEndedFails() {
        server.respond(new CursorNode(3));
        connect(CrateClient.builder());
        AtomicReference<CrateSession> leaked = new AtomicReference<>();

        StepVerifier.create(client.session(session -> {
            leaked.set(session);
            return session.sql(QUERY);
        })).expectNextCount(3).expectComplete().verify(WAIT);

        StepVerifier.create(leaked.get().sql(QUERY))
            .expectError(CrateConnectionException.class)
            .verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void statementsSubscribedTogetherTakeTurnsOnTheOneConnection() {
        server.respond(new CursorNode(50));
        connect(CrateClient.builder());

        StepVerifier.create(client.session(session -> Flux.merge(session.sql(QUERY),
                session.sql(Statement.of(QUERY).fetchSize(7)), session.execute("SET SESSION x = 1").then(Mono.empty()))))
            .expectNextCount(100)
            .expectComplete()
            .verify(WAIT);
        assertThat(server.requests()).extracting(RecordedRequest::connectionId)
            .containsOnly(server.requests().get(0).connectionId());
    }
}
