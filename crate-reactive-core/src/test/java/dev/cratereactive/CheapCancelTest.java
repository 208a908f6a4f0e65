package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.Reply;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A subscriber that takes one row cancels the rest; when (nearly) all of the response has arrived, that cancel
 * must not cost a new connection for the next query. Only a cancel with much of the body outstanding closes.
 */
class CheapCancelTest extends SingleNodeTestSupport {

    private static final int QUERIES = 200;
    /*
     * The connection goes back to the pool on the event loop just after the row was handed over; a query the
     * caller starts at once may find it not yet released and open a second one. A few, never one per query.
     */
    private static final int A_FEW = 5;

    @Test
    void oneRowQueriesReadWithNextReuseOneConnection() {
        server.respond(Reply.transcript("select-simple"));
        connect(CrateClient.builder());
        for (int i = 0; i < QUERIES; i++) {
            Row row = client.sql("SELECT 1 AS one, 'a' AS two").next().block(WAIT);
            assertThat(row).isNotNull();
            assertThat(row.get("two")).isEqualTo("a");
        }
        assertThat(server.connectionsOpened()).as("connections opened by %d next() queries", QUERIES)
            .isLessThanOrEqualTo(A_FEW);
    }

    @Test
    void blockFirstAndMonoFromReuseTheConnectionToo() {
        server.respond(Reply.transcript("select-simple"));
        connect(CrateClient.builder());
        for (int i = 0; i < QUERIES / 2; i++) {
            assertThat(client.sql("SELECT 1 AS one, 'a' AS two").blockFirst(WAIT).get("one")).isEqualTo(1);
            assertThat(Mono.from(client.sql("SELECT 1 AS one, 'a' AS two")).block(WAIT).get("one")).isEqualTo(1);
        }
        assertThat(server.connectionsOpened()).isLessThanOrEqualTo(A_FEW);
    }

    @Test
    void takingTheFirstRowsOfAResultThatHasArrivedKeepsTheConnection() {
        server.respond(Reply.json(200, rows(1_000))); // ~30 KB, below the drain limit
        connect(CrateClient.builder());
        for (int i = 0; i < 20; i++) {
            StepVerifier.create(client.sql("SELECT * FROM t").take(3).map(row -> row.get(0)))
                .expectNext(0L, 1L, 2L).expectComplete().verify(WAIT);
        }
        assertThat(server.connectionsOpened()).isLessThanOrEqualTo(A_FEW);
    }

    @Test
    void aCancelWithMuchOfTheBodyOutstandingClosesTheConnection() {
        server.respond(Reply.json(200, rows(100_000))); // ~3 MB with content-length
        connect(CrateClient.builder());
        for (int i = 0; i < 3; i++) {
            assertThat(client.sql("SELECT * FROM t").blockFirst(WAIT).get(0)).isEqualTo(0L);
        }
        assertThat(server.connectionsOpened()).as("every half-read connection is closed, not pooled").isEqualTo(3);
        // and the next full read still works on a fresh connection
        AtomicLong count = new AtomicLong();
        StepVerifier.create(client.sql("SELECT * FROM t").doOnNext(row -> count.incrementAndGet()))
            .expectNextCount(100_000).expectComplete().verify(Duration.ofSeconds(30));
        assertThat(count.get()).isEqualTo(100_000);
    }

    private static String rows(int n) {
        StringBuilder body = new StringBuilder("{\"cols\":[\"id\",\"name\"],\"col_types\":[10,4],\"rows\":[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append('[').append(i).append(",\"name-").append(i).append("\"]");
        }
        return body.append("],\"rowcount\":").append(n).append(",\"duration\":1.5}").toString();
    }
}
