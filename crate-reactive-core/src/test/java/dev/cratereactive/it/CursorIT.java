package dev.cratereactive.it;

import dev.cratereactive.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateConnectionException;
import dev.cratereactive.CrateSqlException;
import dev.cratereactive.Row;
import dev.cratereactive.Statement;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.RealCrateDb;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Server-side cursors and sessions against a real CrateDB: paged rows equal a plain query's, a cancelled or failed
 * cursor leaves nothing on the server ({@code sys.jobs_log} shows a CLOSE in the cursor's session, or
 * {@code sys.sessions} no longer lists that session), and session settings stay in their session.
 */
@RealCrateDb
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CursorIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Test
    void aMillionRowsPagedByTenThousandEqualAPlainQuery(CrateDb db) {
        CrateClient client = db.client();
        String query = "SELECT x, 'label-' || x AS label, x * 0.5 AS half FROM generate_series(1, 1000000) AS t(x)";

        Checksum plain = checksum(client.sql(query));
        Checksum paged = checksum(client.sql(Statement.of(query).fetchSize(10_000)));

        assertThat(plain.rows).isEqualTo(1_000_000);
        assertThat(paged).isEqualTo(plain);
    }

    @Test
    void takingFiveRowsLeavesNoCursorBehind(CrateDb db) {
        String marker = db.uniqueName("take");
        StepVerifier.create(db.client().sql(Statement.of("SELECT x, ? AS marker FROM generate_series(1, 200000) AS t(x)"
                    + " WHERE '" + marker + "' = ?", marker, marker).fetchSize(10_000)).take(5))
            .expectNextCount(5)
            .expectComplete()
            .verify(TIMEOUT);

        awaitCursorGone(db, marker);
    }

    @Test
    void aFetchFailingMidStreamEmitsTheEarlierRowsThenTheErrorAndTheCursorIsClosed(CrateDb db) {
        String marker = db.uniqueName("fail");
        StepVerifier.create(db.client().sql(Statement.of("SELECT 10 / (5 - x) AS y FROM generate_series(1, 10) AS t(x)"
                    + " WHERE '" + marker + "' <> ''").fetchSize(3)).map(row -> row.get("y", Integer.class)))
            .expectNext(2, 3, 5)
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateSqlException.class)
                .hasMessageContaining("/ by zero"))
            .verify(TIMEOUT);

        awaitCursorGone(db, marker);
    }

    @Test
    void aCompletedCursorRanCloseAndTheConnectionIsGone(CrateDb db) {
        String marker = db.uniqueName("done");
        StepVerifier.create(db.client().sql(Statement.of("SELECT x FROM generate_series(1, 25) AS t(x) WHERE '"
                + marker + "' <> ''").fetchSize(10)))
            .expectNextCount(25)
            .expectComplete()
            .verify(TIMEOUT);

        long session = declaringSession(db, marker);
        List<Row> closes = db.query("SELECT stmt FROM sys.jobs_log WHERE session_id = ? AND stmt LIKE 'CLOSE %'",
            session);
        assertThat(closes).hasSize(1);
        await(() -> db.query("SELECT id FROM sys.sessions WHERE id = ?", session).isEmpty(),
            "the cursor's connection is closed");
    }

    @Test
    void setSessionInsideASessionNeverLeaksToALaterPooledQuery(CrateDb db) {
        CrateClient client = db.client(builder -> builder.maxConnections(1));
        String schema = db.uniqueName("s");
        StepVerifier.create(client.sql("SELECT current_schema AS s").map(row -> row.get("s"))) // warm the pool
            .expectNext("doc").expectComplete().verify(TIMEOUT);

        StepVerifier.create(client.session(session -> session.execute("SET SESSION search_path TO " + schema)
                .thenMany(session.sql("SELECT current_schema AS s"))
                .concatWith(session.sql(Statement.of("SELECT current_schema AS s").fetchSize(5)))
                .map(row -> row.get("s"))))
            .expectNext(schema, schema)
            .expectComplete()
            .verify(TIMEOUT);

        StepVerifier.create(Flux.range(0, 5).concatMap(i -> client.sql("SELECT current_schema AS s"))
                .map(row -> row.get("s")))
            .expectNext("doc", "doc", "doc", "doc", "doc")
            .expectComplete()
            .verify(TIMEOUT);
    }

    @Test
    void aSessionsConnectionIsClosedOnTheServerWhenTheWorkFails(CrateDb db) {
        String marker = db.uniqueName("sess");
        StepVerifier.create(db.client().session(session -> session.execute("SET SESSION search_path TO " + marker)
                .then(Mono.error(new IllegalStateException("the work failed")))))
            .expectErrorMessage("the work failed")
            .verify(TIMEOUT);
        await(() -> db.query("SELECT id FROM sys.sessions WHERE last_statement LIKE ?", "%" + marker + "%").isEmpty(),
            "the session's connection is closed");
    }

    @Test
    void aRejectedCursorQueryFailsLikeAPlainOne(CrateDb db) {
        StepVerifier.create(db.client().sql(Statement.of("SELECT * FROM doc.no_such_table_for_cursors").fetchSize(10)))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateSqlException.class)
                .extracting(e -> ((CrateSqlException) e).errorCode()).isEqualTo(4041))
            .verify(TIMEOUT);
    }

    @Test
    void aStatementAfterTheSessionEndedFails(CrateDb db) {
        java.util.concurrent.atomic.AtomicReference<dev.cratereactive.CrateSession> kept =
            new java.util.concurrent.atomic.AtomicReference<>();
        StepVerifier.create(db.client().session(session -> {
            kept.set(session);
            return session.sql("SELECT 1");
        })).expectNextCount(1).expectComplete().verify(TIMEOUT);
        StepVerifier.create(kept.get().sql("SELECT 1")).expectError(CrateConnectionException.class).verify(TIMEOUT);
    }

    @Test
    void aConnectionLostMidStreamFailsWithTheRowsDeliveredAndTheServerEndsTheCursor(CrateDb db) {
        String marker = db.uniqueName("lost");
        java.net.URI node = db.uri(0);
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        try (dev.cratereactive.testing.TcpProxy proxy = dev.cratereactive.testing.TcpProxy.start(node.getHost(),
                db.port(0))) {
            CrateClient client = db.track(db.builder(List.of(proxy.url())).maxRetries(3).build());
            StepVerifier.create(client.sql(Statement.of("SELECT x FROM generate_series(1, 100000) AS t(x) WHERE '"
                        + marker + "' <> ''").fetchSize(1_000)).doOnNext(row -> received.incrementAndGet()), 2_500)
                .expectNextCount(2_500)
                .then(proxy::close)
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(row -> true)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateConnectionException.class)
                    .hasMessageContaining("after " + received.get() + " rows"))
                .verify(TIMEOUT);
            assertThat(received.get()).isBetween(2_500L, 3_000L);
            assertThat(proxy.connections()).as("no failover after the first row").isEqualTo(1);
        }
        long session = declaringSession(db, marker);
        await(() -> db.query("SELECT id FROM sys.sessions WHERE id = ?", session).isEmpty(),
            "the server ended the session, and the cursor with it");
    }

    /** A CLOSE ran in the cursor's session, or the session (its connection) is gone. */
    private static void awaitCursorGone(CrateDb db, String marker) {
        long session = declaringSession(db, marker);
        await(() -> !db.query("SELECT stmt FROM sys.jobs_log WHERE session_id = ? AND stmt LIKE 'CLOSE %'", session)
                .isEmpty() || db.query("SELECT id FROM sys.sessions WHERE id = ?", session).isEmpty(),
            "a CLOSE in session " + session + " or the session gone");
    }

    private static long declaringSession(CrateDb db, String marker) {
        List<Row> declares = db.query("SELECT session_id FROM sys.jobs_log WHERE stmt LIKE ?",
            "DECLARE %" + marker + "%");
        assertThat(declares).as("the DECLARE in sys.jobs_log").hasSize(1);
        return declares.get(0).get(0, Long.class);
    }

    private static void await(BooleanSupplier condition, String what) {
        Await.until(what, Duration.ofSeconds(30), condition);
    }

    private static Checksum checksum(Flux<Row> rows) {
        return rows.reduce(new Checksum(), Checksum::add).block(TIMEOUT);
    }

    /** Row count, metadata and an order-sensitive hash of every value. */
    private static final class Checksum {
        long rows;
        long hash = 17;
        String metadata;

        Checksum add(Row row) {
            if (metadata == null) {
                metadata = row.metadata().columns().toString();
            }
            rows++;
            for (int i = 0; i < row.size(); i++) {
                Object value = row.get(i);
                hash = hash * 31 + Objects.hashCode(value) + (value == null ? 0 : value.getClass().hashCode());
            }
            return this;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Checksum that && rows == that.rows && hash == that.hash
                && Objects.equals(metadata, that.metadata);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(hash);
        }

        @Override
        public String toString() {
            return rows + " rows, hash " + hash + ", " + metadata;
        }
    }
}
