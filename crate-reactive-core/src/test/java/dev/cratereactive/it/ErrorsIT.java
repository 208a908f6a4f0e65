package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateDuplicateKeyException;
import dev.cratereactive.CrateException;
import dev.cratereactive.CrateSqlException;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.RealCrateDb;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Each error family a real CrateDB reports, as the typed exception with the server's code and HTTP status
 * (transcripts {@code error-*}: 4000/400 syntax and evaluation, 4041/404 unknown relation, 4043/404 unknown column,
 * 4045/404 unknown schema, 4091/409 duplicate key, 4093/409 relation exists, 4004/400 bulk SELECT), and the client
 * still working afterwards.
 */
@RealCrateDb
class ErrorsIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;

    @Test
    void syntaxErrorIsCode4000WithStatus400(CrateClient client) {
        StepVerifier.create(client.sql("SELEC 1"))
            .expectErrorSatisfies(error -> assertCrateError(error, CrateSqlException.class, 4000, 400, "SELEC"))
            .verify(TIMEOUT);
    }

    @Test
    void unknownTableIsCode4041WithStatus404(CrateDb db) {
        String missing = "doc." + db.uniqueName("it_missing");
        StepVerifier.create(db.client().sql("SELECT * FROM " + missing))
            .expectErrorSatisfies(error -> assertCrateError(error, CrateSqlException.class, 4041, 404, "RelationUnknown"))
            .verify(TIMEOUT);
    }

    @Test
    void unknownColumnIsCode4043WithStatus404(CrateDb db) {
        String table = db.newTable("it_columns");
        db.execute("CREATE TABLE " + table + " (id INTEGER) WITH (number_of_replicas = 0)");
        StepVerifier.create(db.client().sql("SELECT nope FROM " + table))
            .expectErrorSatisfies(error -> assertCrateError(error, CrateSqlException.class, 4043, 404, "nope"))
            .verify(TIMEOUT);
    }

    @Test
    void unknownSchemaIsCode4045WithStatus404(CrateDb db) {
        String schema = db.uniqueName("it_noschema");
        StepVerifier.create(db.client().sql("SELECT * FROM " + schema + ".t"))
            .expectErrorSatisfies(error -> assertCrateError(error, CrateSqlException.class, 4045, 404, schema))
            .verify(TIMEOUT);
    }

    @Test
    void duplicatePrimaryKeyIsCrateDuplicateKeyException(CrateDb db) {
        String table = db.newTable("it_dup");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, v TEXT) WITH (number_of_replicas = 0)");
        CrateClient client = db.client();
        String insert = "INSERT INTO " + table + " (id, v) VALUES (?, ?)";
        StepVerifier.create(client.execute(insert, 1, "first").then(client.execute(insert, 1, "second")))
            .expectErrorSatisfies(error -> assertCrateError(error, CrateDuplicateKeyException.class, 4091, 409,
                "DuplicateKeyException"))
            .verify(TIMEOUT);

        db.refresh(table);
        StepVerifier.create(client.sql("SELECT v FROM " + table + " WHERE id = ?", 1).map(row -> row.get("v")))
            .expectNext("first")
            .expectComplete()
            .verify(TIMEOUT);
    }

    @Test
    void creatingAnExistingTableIsCode4093WithStatus409(CrateDb db) {
        String table = db.newTable("it_exists");
        String create = "CREATE TABLE " + table + " (id INTEGER) WITH (number_of_replicas = 0)";
        db.execute(create);
        StepVerifier.create(db.client().execute(create))
            .expectErrorSatisfies(error -> assertCrateError(error, CrateSqlException.class, 4093, 409,
                "RelationAlreadyExists"))
            .verify(TIMEOUT);
    }

    @Test
    void failedCastIsCode4000WithStatus400(CrateClient client) {
        StepVerifier.create(client.sql("SELECT 'abc'::integer"))
            .expectErrorSatisfies(error -> assertCrateError(error, CrateSqlException.class, 4000, 400, "Cannot cast"))
            .verify(TIMEOUT);
    }

    @Test
    void parameterThatCannotBeCastIsRejected(CrateClient client) {
        StepVerifier.create(client.sql("SELECT ?::integer AS i", "abc"))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateSqlException.class);
                assertThat(((CrateSqlException) error).httpStatus()).isEqualTo(400);
            })
            .verify(TIMEOUT);
    }

    @Test
    void divisionByZeroIsCode4000WithStatus400(CrateClient client) {
        StepVerifier.create(client.sql("SELECT 1/0"))
            .expectErrorSatisfies(error -> assertCrateError(error, CrateSqlException.class, 4000, 400, "by zero"))
            .verify(TIMEOUT);
    }

    @Test
    void errorTraceIsAttachedWhenRequested(CrateDb db) {
        CrateClient tracing = db.client(builder -> builder.errorTrace(true));
        String schema = db.uniqueName("it_noschema");
        StepVerifier.create(tracing.sql("SELECT * FROM " + schema + ".t"))
            .expectErrorSatisfies(error -> {
                assertCrateError(error, CrateSqlException.class, 4045, 404, schema);
                assertThat(((CrateException) error).errorTrace()).hasValueSatisfying(
                    trace -> assertThat(trace).contains("SchemaUnknownException"));
            })
            .verify(TIMEOUT);
        StepVerifier.create(db.client().sql("SELECT * FROM " + schema + ".t"))
            .expectErrorSatisfies(error -> assertThat(((CrateException) error).errorTrace()).isEmpty())
            .verify(TIMEOUT);
    }

    /**
     * CrateDB 6.4.3 answers the statement after a rejected bulk SELECT on the same connection with a 500
     * ClassCastException ({@code after-bulk-select-same-connection}); the client closes connections that saw an
     * error, so the next statement must succeed.
     */
    @Test
    void statementAfterARejectedBulkSelectSucceeds(CrateDb db) {
        String table = db.newTable("it_bulk_select");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, v TEXT) WITH (number_of_replicas = 0)");
        CrateClient client = db.client(builder -> builder.maxConnections(1));
        StepVerifier.create(client.bulk("SELECT * FROM " + table + " WHERE id = ?", List.of(List.of(1))))
            .expectErrorSatisfies(error -> assertCrateError(error, CrateSqlException.class, 4004, 400,
                "result sets is not supported"))
            .verify(TIMEOUT);
        StepVerifier.create(client.sql("SELECT 1 AS one").map(row -> row.get("one")))
            .expectNext(1)
            .expectComplete()
            .verify(TIMEOUT);
    }

    @Test
    void clientKeepsWorkingAfterEveryKindOfError(CrateDb db) {
        CrateClient client = db.client(builder -> builder.maxConnections(1));
        List<String> failing = List.of("SELEC 1", "SELECT * FROM doc." + db.uniqueName("it_missing"), "SELECT 1/0",
            "SELECT 'abc'::integer");
        for (String sql : failing) {
            StepVerifier.create(client.sql(sql))
                .expectError(CrateSqlException.class)
                .verify(TIMEOUT);
            StepVerifier.create(client.sql("SELECT ? AS echo", sql).map(row -> row.get("echo")))
                .expectNext(sql)
                .expectComplete()
                .verify(TIMEOUT);
        }
    }

    static void assertCrateError(Throwable error, Class<? extends CrateException> type, int code, int status,
                                 String messagePart) {
        assertThat(error).isInstanceOf(type);
        CrateException crate = (CrateException) error;
        assertThat(crate.errorCode()).as("error code").isEqualTo(code);
        assertThat(crate.httpStatus()).as("HTTP status").isEqualTo(status);
        assertThat(crate.getMessage()).contains(messagePart);
        assertThat(crate.node()).as("the node that answered").isPresent();
        assertThat(crate.statement()).as("the statement").isPresent();
    }
}
