package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateBlockedException;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateError;
import dev.cratereactive.CrateException;
import dev.cratereactive.CrateProtocolException;
import dev.cratereactive.Statement;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.RealCrateDb;
import dev.cratereactive.testing.TcpProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * What a real CrateDB answers when a table is blocked, and a node URL that points at CrateDB's PostgreSQL port.
 * Requests are counted by a {@link TcpProxy} in front of the node: a blocked statement is sent once, never retried.
 */
@RealCrateDb
class FailuresIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;
    /** The kit's layout: the PostgreSQL port is the HTTP port + 1232 (4200 -> 5432). */
    private static final int PSQL_OFFSET = 1232;

    @Test
    void writeBlockedTableFailsASingleAndABulkInsertOnceWith4007(CrateDb db) {
        assumePlainHttp(db);
        String table = blockedTable(db, "blocks.write");
        try (TcpProxy proxy = relayToFirstNode(db)) {
            CrateClient client = db.track(db.builder(List.of(proxy.url())).maxRetries(3).build());
            StepVerifier.create(client.execute(Statement.of(insert(table), 1, "a").idempotent()))
                .expectErrorSatisfies(error -> assertBlocked(error, 4007, 400, "INSERT"))
                .verify(TIMEOUT);
            assertThat(proxy.requests()).isEqualTo(1);
            StepVerifier.create(client.bulk(insert(table), List.of(List.of(1, "a"), List.of(2, "b"))))
                .expectErrorSatisfies(error -> assertBlocked(error, 4007, 400, "INSERT"))
                .verify(TIMEOUT);
            assertThat(proxy.requests()).as("the bulk request is rejected as a whole, once").isEqualTo(2);
        }
    }

    @Test
    void readBlockedTableFailsASelectOnceWith4007(CrateDb db) {
        assumePlainHttp(db);
        String table = blockedTable(db, "blocks.read");
        try (TcpProxy proxy = relayToFirstNode(db)) {
            CrateClient client = db.track(db.builder(List.of(proxy.url())).maxRetries(3).build());
            StepVerifier.create(client.sql("SELECT id FROM " + table))
                .expectErrorSatisfies(error -> assertBlocked(error, 4007, 400, "READ"))
                .verify(TIMEOUT);
            assertThat(proxy.requests()).isEqualTo(1);
        }
    }

    @Test
    void readOnlyAllowDeleteFailsASingleInsertOnceWith4037AndEveryBulkRow(CrateDb db) {
        assumePlainHttp(db);
        String table = blockedTable(db, "blocks.read_only_allow_delete");
        try (TcpProxy proxy = relayToFirstNode(db)) {
            CrateClient client = db.track(db.builder(List.of(proxy.url())).maxRetries(3).build());
            StepVerifier.create(client.execute(insert(table), 1, "a"))
                .expectErrorSatisfies(error -> assertBlocked(error, 4037, 403, "read-only / allow delete"))
                .verify(TIMEOUT);
            assertThat(proxy.requests()).isEqualTo(1);
            StepVerifier.create(client.bulk(insert(table), List.of(List.of(1, "a"), List.of(2, "b"))))
                .assertNext(result -> {
                    assertThat(result.failedCount()).as("HTTP 200 with an error per row").isEqualTo(2);
                    assertThat(result.results()).extracting(BulkResult.RowResult::error)
                        .allSatisfy(e -> assertThat(e).map(CrateError::code).contains(4037));
                })
                .expectComplete().verify(TIMEOUT);
            assertThat(proxy.requests()).isEqualTo(2);
        }
    }

    @Test
    void aNodeUrlOnThePostgresPortIsAProtocolErrorAndTheHttpNodeAnswers(CrateDb db) {
        assumePlainHttp(db);
        String host = db.uri(0).getHost();
        int psql = db.port(0) + PSQL_OFFSET;
        Assumptions.assumeTrue(listens(host, psql), "no PostgreSQL port at " + host + ":" + psql);
        String psqlUrl = "http://" + host + ":" + psql;
        CrateClient alone = db.track(db.builder(List.of(psqlUrl)).maxRetries(0).build());
        StepVerifier.create(alone.sql("SELECT 1"))
            .expectErrorSatisfies(error -> assertThat(error.getCause()).isInstanceOf(CrateProtocolException.class)
                .hasMessageContaining("not an HTTP response").hasMessageContaining(psqlUrl))
            .verify(TIMEOUT);
        CrateClient withHttpNode = db.track(db.builder(List.of(psqlUrl, db.urlsWithoutCredentials().get(0)))
            .nodeSelector(nodes -> nodes).maxRetries(1).backoffFactor(Duration.ofMillis(1)).build());
        StepVerifier.create(withHttpNode.sql("SELECT 1 AS one").map(row -> row.get("one")))
            .expectNext(1).expectComplete().verify(TIMEOUT);
    }

    private static void assertBlocked(Throwable error, int code, int status, String reason) {
        assertThat(error).isInstanceOf(CrateBlockedException.class).hasMessageContaining(reason);
        CrateException blocked = (CrateException) error;
        assertThat(blocked.errorCode()).isEqualTo(code);
        assertThat(blocked.httpStatus()).isEqualTo(status);
        assertThat(blocked.isRetryable()).isFalse();
        assertThat(blocked.statementMayHaveRun()).isFalse();
        assertThat(error.getSuppressed()).as("a single attempt").isEmpty();
    }

    /** A new table with {@code block} set, lifted again after the test so the table can be dropped. */
    private static String blockedTable(CrateDb db, String block) {
        String table = db.newTable("it_blocked");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, v TEXT) WITH (number_of_replicas = 0)");
        db.execute("ALTER TABLE " + table + " SET (\"" + block + "\" = true)");
        db.cleanUpAfterTest("ALTER TABLE " + table + " RESET (\"" + block + "\")"); // runs before the drop
        return table;
    }

    private static String insert(String table) {
        return "INSERT INTO " + table + " (id, v) VALUES (?, ?)";
    }

    private static TcpProxy relayToFirstNode(CrateDb db) {
        return TcpProxy.start(db.uri(0).getHost(), db.port(0));
    }

    private static void assumePlainHttp(CrateDb db) {
        Assumptions.assumeFalse(db.isSecure(), "relays on 127.0.0.1 cannot pass TLS host name verification; needs http://");
    }

    private static boolean listens(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
