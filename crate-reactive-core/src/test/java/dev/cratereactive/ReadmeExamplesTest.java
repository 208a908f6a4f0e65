package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.Reply;
import dev.cratereactive.testing.Responder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The code shown in README.md, run against in-process nodes. Keep the two in step. */
class ReadmeExamplesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final CrateTestServer node1 = CrateTestServer.start();
    private final CrateTestServer node2 = CrateTestServer.start();

    @AfterEach
    void tearDown() {
        node1.close();
        node2.close();
    }

    @Test
    void connectToOneNodeAndStreamAQuery() {
        node1.respond(Reply.json(200, "{\"cols\":[\"id\",\"name\"],\"col_types\":[10,4],"
            + "\"rows\":[[1,\"Arthur\"],[2,\"Trillian\"]],\"rowcount\":2,\"duration\":0.8}"));
        String url = node1.url();
        List<String> printed = new CopyOnWriteArrayList<>();

        // README: stream
        try (CrateClient client = CrateClient.create(url)) {
            Flux<String> names = client.sql("SELECT id, name FROM characters WHERE id > ? ORDER BY id", 0)
                .map(row -> row.get("id", Long.class) + ": " + row.get("name", String.class));
            names.doOnNext(printed::add).blockLast(); // in a reactive app: return the Flux instead of blocking
        }
        // README: end

        assertThat(printed).containsExactly("1: Arthur", "2: Trillian");
        assertThat(node1.requests().get(0).json().path("args").toString()).isEqualTo("[0]");
    }

    @Test
    void readNumbersWithoutBoxes() {
        node1.respond(Reply.json(200, "{\"cols\":[\"id\",\"label\",\"val\"],\"col_types\":[10,4,6],"
            + "\"rows\":[[1,\"a\",2.4],[20,\"b\",0.6]],\"rowcount\":2,\"duration\":0.8}"));

        try (CrateClient client = CrateClient.create(node1.url())) {
            // README: unboxed
            long total = client.sql("SELECT id, label, val FROM big")
                .map(row -> row.getLong(0) + Math.round(row.getDouble("val")))
                .reduce(0L, Long::sum).block();
            // README: end

            assertThat(total).isEqualTo(1 + 2 + 20 + 1);
        }
    }

    @Test
    void connectToSeveralNodesWithOptions() {
        node1.respond(Reply.transcript("select-simple"));
        node2.respond(Reply.transcript("select-simple"));
        String url1 = node1.url();
        String url2 = node2.url();

        // README: cluster
        CrateClient client = CrateClient.builder()
            .nodes(url1, url2)                        // round-robin per query, dead nodes skipped for a while
            .username("crate").password("secret")     // or .jwt(() -> tokenSource.current())
            .schema("doc")
            .connectTimeout(Duration.ofSeconds(5))
            .timeout(Duration.ofSeconds(30))
            .backoffFactor(Duration.ofMillis(100))    // retries wait 0.1 s, 0.2 s, 0.4 s ...
            .maxRetries(3)
            .tcpKeepIdle(Duration.ofSeconds(60))
            .build();
        // README: end

        try (client) {
            for (int i = 0; i < 4; i++) {
                StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
            }
        }
        assertThat(node1.requests()).hasSize(2);
        assertThat(node2.requests()).hasSize(2);
        assertThat(node1.requests().get(0).header("default-schema")).isEqualTo("doc");
    }

    @Test
    void insertInBulkAndCheckEveryRow() {
        node1.respond(Reply.transcript("bulk-partial-failure"));
        List<String> report = new CopyOnWriteArrayList<>();

        try (CrateClient client = CrateClient.create(node1.url())) {
            // README: bulk
            Mono<BulkResult> insert = client.bulk("INSERT INTO doc.t_bulk (id, v) VALUES (?, ?)",
                List.of(List.of(4, "d"), List.of(1, "dup"), List.of(5, "e")));
            BulkResult result = insert.block();
            for (int i = 0; i < result.results().size(); i++) {
                BulkResult.RowResult row = result.results().get(i);
                row.error().ifPresent(error -> report.add("row failed: " + error.code() + " " + error.message()));
            }
            // README: end
        }

        assertThat(report).containsExactly(
            "row failed: 4091 DuplicateKeyException[A document with the same primary key exists already]");
    }

    @Test
    void handleErrors() {
        node1.respond(Responder.sequence(Reply.transcript("error-duplicate-key"), Reply.transcript("error-unknown-table")));
        List<String> handled = new CopyOnWriteArrayList<>();

        try (CrateClient client = CrateClient.create(node1.url())) {
            // README: errors
            Mono<Long> inserted = client.execute("INSERT INTO doc.t_types (id) VALUES (1)")
                .map(SqlResult::rowCount)
                .onErrorResume(CrateDuplicateKeyException.class, duplicate -> Mono.just(0L));
            Flux<Row> rows = client.sql("SELECT * FROM doc.nope")
                .doOnError(CrateSqlException.class, e ->
                    handled.add(e.errorCode() + " on " + e.node().orElseThrow().port() + ": " + e.getMessage()))
                .onErrorResume(CrateException.class, e -> Flux.empty());
            // README: end
            StepVerifier.create(inserted).expectNext(0L).expectComplete().verify(WAIT);
            StepVerifier.create(rows).expectComplete().verify(WAIT);
        }

        assertThat(handled).singleElement().asString().startsWith("4041 on " + node1.port())
            .contains("RelationUnknown[Relation 'doc.nope' unknown]");
    }

    @Test
    void bigResultsAndSessions() {
        dev.cratereactive.testing.CursorNode node = new dev.cratereactive.testing.CursorNode(25_000);
        node1.respond(node);
        String url = node1.url();
        try (CrateClient client = CrateClient.create(url)) {
            // README: big results
            Flux<Row> rows = client.sql(Statement.of("SELECT id, label, v FROM big WHERE id > ?", 0).fetchSize(10_000));
            CrateClient etl = CrateClient.builder().nodes(url).defaultFetchSize(10_000).build(); // every sql() without one
            // README: end
            StepVerifier.create(rows).expectNextCount(25_000).expectComplete().verify(WAIT);
            StepVerifier.create(etl.sql("SELECT id, label, v FROM big")).expectNextCount(25_000).expectComplete()
                .verify(WAIT);
            etl.close();
            assertThat(node.fetches()).isEqualTo(6);

            // README: session
            Flux<Row> inSession = client.session(session -> session.execute("SET SESSION statement_timeout = '5s'")
                .thenMany(session.sql("SELECT id FROM big WHERE v > ?", 0.5)));
            // README: end
            StepVerifier.create(inSession).expectNextCount(25_000).expectComplete().verify(WAIT);
        }
    }

    record Reading(long id, String v) {
    }

    @Test
    void writeALotOfRows() throws InterruptedException {
        node1.respond(BulkWriterTestSupport.bulk(id -> id == 2 ? "{\"rowcount\":-2,\"error\":{\"code\":4091,\"message\":"
            + "\"DuplicateKeyException[A document with the same primary key exists already]\"}}" : BulkWriterTestSupport.OK));
        Flux<Reading> readings = Flux.just(new Reading(1, "a"), new Reading(2, "b"), new Reading(3, "c"));
        java.util.concurrent.CountDownLatch rejected = new java.util.concurrent.CountDownLatch(1);
        List<String> rejects = new CopyOnWriteArrayList<>() {
            @Override
            public boolean add(String reject) {
                super.add(reject);
                rejected.countDown();
                return true;
            }
        };

        try (CrateClient client = CrateClient.create(node1.url())) {
            // README: writer
            BulkWriter<Reading> writer = client.bulkWriter("INSERT INTO readings (id, v) VALUES (?, ?)",
                    (Reading r) -> List.of(r.id(), r.v()))
                .maxRows(1_000)                   // rows per request (default 1,000)
                .maxBytes(8 * 1024 * 1024)        // encoded body before gzip (default 8 MiB; must stay under 100 MB)
                .linger(Duration.ofMillis(100))   // a partial batch waits at most this long (default 100 ms)
                .maxInFlight(2)                   // concurrent requests (default 2)
                .itemRetries(3)                   // resends of rows that failed with a retryable code (default 3)
                .idempotent(false)                // true: a request with an unknown outcome may be resent (an upsert)
                .build();
            Flux<BulkOutcome<Reading>> outcomes = writer.write(readings);   // one outcome per item, in answer order
            outcomes.filter(outcome -> !outcome.isSuccess())
                .subscribe(outcome -> rejects.add(outcome.item() + ": " + outcome.error().orElseThrow().code()));
            // README: end
            assertThat(rejected.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();
        }

        assertThat(rejects).containsExactly("Reading[id=2, v=b]: 4091");
        assertThat(node1.requests()).hasSize(1);
    }

    @Test
    void upsertStatementForAnIdempotentWriter() {
        // README: upsert
        String upsert = Upsert.statement("doc.readings", List.of("id", "v"), List.of("id"));
        // INSERT INTO "doc"."readings" ("id", "v") VALUES (?, ?) ON CONFLICT ("id") DO UPDATE SET "v" = excluded."v"
        // README: end
        assertThat(upsert).isEqualTo("INSERT INTO \"doc\".\"readings\" (\"id\", \"v\") VALUES (?, ?) ON CONFLICT (\"id\")"
            + " DO UPDATE SET \"v\" = excluded.\"v\"");
    }
}
