package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.RealCrateDb;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * {@code builder.schema(...)} against a real CrateDB. The server reads {@code Default-Schema} only on a
 * connection's first request and keeps it for the connection ({@code default-schema-header-sticky}), so clients
 * with different schemas must never share a connection, however their queries interleave.
 */
@RealCrateDb
class SchemaIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;

    @Test
    void unqualifiedNamesResolveInTheClientsSchema(CrateDb db) {
        String schema = db.uniqueName("it_schema");
        db.dropAfterTest(schema + ".readings");
        CrateClient inSchema = db.client(builder -> builder.schema(schema));

        StepVerifier.create(inSchema.execute("CREATE TABLE readings (id INTEGER PRIMARY KEY, v TEXT) WITH (number_of_replicas = 0)")
                .then(inSchema.execute("INSERT INTO readings (id, v) VALUES (?, ?)", 1, "in " + schema))
                .then(inSchema.execute("REFRESH TABLE readings")))
            .expectNextCount(1)
            .expectComplete()
            .verify(TIMEOUT);

        StepVerifier.create(inSchema.sql("SELECT current_schema AS s, v FROM readings"))
            .assertNext(row -> {
                assertThat(row.get("s")).isEqualTo(schema);
                assertThat(row.get("v")).isEqualTo("in " + schema);
            })
            .expectComplete()
            .verify(TIMEOUT);
        assertThat(db.query("SELECT table_schema FROM information_schema.tables WHERE table_name = 'readings'"
                + " AND table_schema = ?", schema))
            .extracting(row -> row.get("table_schema"))
            .containsExactly(schema);
    }

    @Test
    void clientsWithDifferentSchemasNeverSeeEachOthersSchema(CrateDb db) {
        String first = db.uniqueName("it_schema_a");
        String second = db.uniqueName("it_schema_b");
        CrateClient a = db.client(builder -> builder.schema(first).maxConnections(4));
        CrateClient b = db.client(builder -> builder.schema(second).maxConnections(4));
        CrateClient plain = db.client(builder -> builder.maxConnections(4));

        Flux<String> interleaved = Flux.range(0, 24).flatMap(i -> {
            CrateClient client = i % 3 == 0 ? a : i % 3 == 1 ? b : plain;
            String expected = i % 3 == 0 ? first : i % 3 == 1 ? second : "doc";
            return client.sql("SELECT current_schema AS s").map(row -> expected + "=" + row.get("s"));
        }, 12);

        StepVerifier.create(interleaved.collectList())
            .assertNext(results -> {
                assertThat(results).hasSize(24);
                assertThat(results).allSatisfy(result -> {
                    String[] parts = result.split("=");
                    assertThat(parts[1]).as("schema seen by a client configured for %s", parts[0]).isEqualTo(parts[0]);
                });
            })
            .expectComplete()
            .verify(TIMEOUT);
    }

    @Test
    void withoutASchemaTheServerDefaultDocApplies(CrateClient client) {
        StepVerifier.create(client.sql("SELECT current_schema AS s").map(row -> row.get("s")))
            .expectNext("doc")
            .expectComplete()
            .verify(TIMEOUT);
    }

    @Test
    void schemaQualifiedNamesIgnoreTheClientsSchema(CrateDb db) {
        String table = db.newTable("it_qualified");
        db.execute("CREATE TABLE " + table + " (id INTEGER) WITH (number_of_replicas = 0)");
        db.execute("INSERT INTO " + table + " (id) VALUES (?)", 7);
        db.refresh(table);
        CrateClient elsewhere = db.client(builder -> builder.schema(db.uniqueName("it_other")));
        StepVerifier.create(elsewhere.sql("SELECT id FROM " + table).map(row -> row.get("id")))
            .expectNext(7)
            .expectComplete()
            .verify(TIMEOUT);
    }
}
