package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateError;
import dev.cratereactive.CrateSqlException;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.RealCrateDb;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Bulk requests ({@code bulk_args}) against a real CrateDB: HTTP 200 with one result per row, failed rows as
 * row count -2 with their own error ({@code bulk-partial-failure}, {@code bulk-update}), analysis errors failing the
 * whole request ({@code bulk-analysis-error}).
 */
@RealCrateDb
class BulkIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;

    @Test
    void everyRowOfASuccessfulBulkInsertReportsOneRow(CrateDb db) {
        String table = table(db);
        StepVerifier.create(db.client().bulk(insert(table), List.of(List.of(1, "a"), List.of(2, "b"), List.of(3, "c"))))
            .assertNext(result -> {
                assertThat(result.results()).extracting(BulkResult.RowResult::rowCount).containsExactly(1L, 1L, 1L);
                assertThat(result.allSucceeded()).isTrue();
                assertThat(result.results()).allSatisfy(row -> assertThat(row.error()).isEmpty());
            })
            .expectComplete()
            .verify(TIMEOUT);
        db.refresh(table);
        assertThat(db.query("SELECT id, v FROM " + table + " ORDER BY id"))
            .extracting(row -> row.get("id") + "=" + row.get("v"))
            .containsExactly("1=a", "2=b", "3=c");
    }

    @Test
    void duplicateRowFailsAloneWithMinusTwoAndCode4091(CrateDb db) {
        String table = table(db);
        CrateClient client = db.client();
        StepVerifier.create(client.bulk(insert(table), List.of(List.of(1, "a"), List.of(2, "b"), List.of(3, "c")))
                .then(client.bulk(insert(table), List.of(List.of(4, "d"), List.of(1, "dup"), List.of(5, "e")))))
            .assertNext(result -> {
                assertThat(result.results()).extracting(BulkResult.RowResult::rowCount)
                    .containsExactly(1L, BulkResult.FAILED, 1L);
                assertThat(result.failedCount()).isEqualTo(1);
                BulkResult.RowResult failed = result.results().get(1);
                assertThat(failed.failed()).isTrue();
                assertThat(failed.error()).map(CrateError::code).contains(4091);
                assertThat(failed.error()).map(CrateError::message)
                    .hasValueSatisfying(message -> assertThat(message).contains("DuplicateKeyException"));
                assertThat(result.results().get(0).error()).isEmpty();
                assertThat(result.results().get(2).error()).isEmpty();
            })
            .expectComplete()
            .verify(TIMEOUT);
        db.refresh(table);
        assertThat(db.query("SELECT id, v FROM " + table + " ORDER BY id"))
            .extracting(row -> row.get("id") + "=" + row.get("v"))
            .containsExactly("1=a", "2=b", "3=c", "4=d", "5=e");
    }

    @Test
    void bulkUpdateReportsAMissingRowAsMinusTwoWithCode40411(CrateDb db) {
        String table = table(db);
        CrateClient client = db.client();
        StepVerifier.create(client.bulk(insert(table), List.of(List.of(1, "a")))
                .then(client.bulk("UPDATE " + table + " SET v = ? WHERE id = ?", List.of(List.of("A", 1), List.of("Z", 999)))))
            .assertNext(result -> {
                assertThat(result.results()).extracting(BulkResult.RowResult::rowCount).containsExactly(1L, BulkResult.FAILED);
                assertThat(result.results().get(1).error()).map(CrateError::code).contains(40411);
            })
            .expectComplete()
            .verify(TIMEOUT);
        db.refresh(table);
        assertThat(db.query("SELECT v FROM " + table + " WHERE id = 1")).extracting(row -> row.get("v")).containsExactly("A");
    }

    @Test
    void analysisErrorFailsTheWholeBulkRequest(CrateDb db) {
        String table = table(db);
        StepVerifier.create(db.client().bulk("INSERT INTO " + table + " (id, nope) VALUES (?, ?)", List.of(List.of(6, "f"))))
            .expectErrorSatisfies(error -> ErrorsIT.assertCrateError(error, CrateSqlException.class, 4043, 404, "nope"))
            .verify(TIMEOUT);
    }

    /** A multi-row VALUES insert drops a bad row silently: only the lower row count tells. */
    @Test
    void multiRowInsertWithADuplicateReportsALowerRowCount(CrateDb db) {
        String table = table(db);
        CrateClient client = db.client();
        StepVerifier.create(client.execute(insert(table), 1, "a")
                .then(client.execute("INSERT INTO " + table + " (id, v) VALUES (?, ?), (?, ?)", 2, "b", 1, "dup")))
            .assertNext(result -> assertThat(result.rowCount()).isEqualTo(1))
            .expectComplete()
            .verify(TIMEOUT);
    }

    /** 5,000 rows make a body above the 8 KiB compression threshold: CrateDB accepts the gzip-encoded request. */
    @Test
    void largeBulkInsertIsSentCompressedAndFullyApplied(CrateDb db) {
        String table = table(db);
        List<List<Object>> rows = IntStream.rangeClosed(1, 5_000).mapToObj(i -> List.<Object>of(i, "value-" + i)).toList();
        StepVerifier.create(db.client().bulk(insert(table), rows))
            .assertNext(result -> {
                assertThat(result.results()).hasSize(5_000);
                assertThat(result.allSucceeded()).isTrue();
            })
            .expectComplete()
            .verify(TIMEOUT);
        db.refresh(table);
        assertThat(db.query("SELECT count(*) AS n, max(v) AS top FROM " + table))
            .singleElement()
            .satisfies(row -> {
                assertThat(row.get("n", Long.class)).isEqualTo(5_000L);
                assertThat(row.get("top")).isEqualTo("value-999");
            });
    }

    private static String table(CrateDb db) {
        String table = db.newTable("it_bulk");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, v TEXT) WITH (number_of_replicas = 0)");
        return table;
    }

    private static String insert(String table) {
        return "INSERT INTO " + table + " (id, v) VALUES (?, ?)";
    }
}
