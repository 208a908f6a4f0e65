package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.BulkOutcome;
import dev.cratereactive.BulkWriter;
import dev.cratereactive.CrateBlockedException;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateError;
import dev.cratereactive.internal.failure.ErrorCodes;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.RealCrateDb;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The bulk writer against a real CrateDB: a million rows arrive exactly once, and a write block that lands mid-run
 * fails the writer with {@link CrateBlockedException} while every outcome before it tells the truth (the table
 * holds exactly the rows reported as written).
 */
@RealCrateDb
class BulkWriterIT {

    private static final Duration LONG = Duration.ofMinutes(8);

    record Reading(long id, String v) {
    }

    static Flux<Reading> readings(long count) {
        return Flux.range(1, (int) count).map(i -> new Reading(i, "value-" + i));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aMillionRowsAreWrittenExactlyOnce(CrateDb db) {
        String table = table(db);
        long items = 1_000_000;
        BulkWriter<Reading> writer = db.client().<Reading>bulkWriter(insert(table), r -> List.of(r.id(), r.v())).build();
        AtomicLong failed = new AtomicLong();
        StepVerifier.create(writer.write(readings(items))
                .doOnNext(outcome -> {
                    if (!outcome.isSuccess()) {
                        failed.incrementAndGet();
                    }
                })
                .count())
            .expectNext(items)
            .expectComplete()
            .verify(LONG);
        assertThat(failed).as("outcomes that are not a success").hasValue(0);
        db.refresh(table);
        assertThat(db.query("SELECT count(*) AS n, count(DISTINCT id) AS ids FROM " + table)).singleElement()
            .satisfies(row -> {
                assertThat(row.get("n", Long.class)).isEqualTo(items);
                assertThat(row.get("ids", Long.class)).isEqualTo(items);
            });
    }

    /**
     * {@code "blocks.write" = true} set while the writer runs: a request in flight is answered HTTP 200 with the
     * rows written before the block as {@code 1} and the others {@code -2} with code 4035 (measured: 735 of the
     * 1,000 rows of two requests in flight), a request sent after it as a whole with 4007; either way the writer
     * emits what was answered, then fails with {@link CrateBlockedException}, and the table holds exactly the rows
     * whose outcome says written.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aWriteBlockMidRunFailsTheWriterAfterTruthfulOutcomes(CrateDb db) {
        String table = table(db);
        db.cleanUpAfterTest("ALTER TABLE " + table + " SET (\"blocks.write\" = false)"); // runs before the drop
        CrateClient admin = db.client(builder -> builder);
        BulkWriter<Reading> writer = db.client().<Reading>bulkWriter(insert(table), r -> List.of(r.id(), r.v()))
            .maxRows(500)
            .build();
        List<BulkOutcome<Reading>> outcomes = new CopyOnWriteArrayList<>();
        AtomicBoolean blocked = new AtomicBoolean();
        StepVerifier.create(writer.write(readings(2_000_000))
                .doOnNext(outcome -> {
                    outcomes.add(outcome);
                    if (outcomes.size() >= 20_000 && blocked.compareAndSet(false, true)) {
                        admin.execute("ALTER TABLE " + table + " SET (\"blocks.write\" = true)")
                            .subscribeOn(Schedulers.boundedElastic())
                            .subscribe();
                    }
                })
                .then())
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateBlockedException.class)
                .satisfies(e -> assertThat(ErrorCodes.isBlock(((CrateBlockedException) e).errorCode())).isTrue()))
            .verify(LONG);

        List<BulkOutcome<Reading>> written = outcomes.stream().filter(BulkOutcome::isSuccess).toList();
        List<BulkOutcome<Reading>> refused = outcomes.stream().filter(o -> !o.isSuccess()).toList();
        assertThat(written).hasSizeGreaterThanOrEqualTo(20_000);
        assertThat(refused).as("outcomes other than success carry a block code").allSatisfy(outcome -> {
            assertThat(outcome.outcomeUnknown()).isFalse();
            assertThat(outcome.error()).map(CrateError::code).hasValueSatisfying(code ->
                assertThat(ErrorCodes.isBlock(code)).as("code %s", code).isTrue());
        });
        System.out.printf("[BulkWriterIT] block mid-run: %d rows written, %d rows answered with a block code (%s)%n",
            written.size(), refused.size(), refused.stream().map(o -> o.error().get().code()).distinct().toList());

        db.execute("ALTER TABLE " + table + " SET (\"blocks.write\" = false)");
        db.refresh(table);
        assertThat(db.query("SELECT count(*) AS n FROM " + table)).singleElement()
            .satisfies(row -> assertThat(row.get("n", Long.class)).as("rows in the table")
                .isEqualTo((long) written.size()));
    }

    private static String table(CrateDb db) {
        String table = db.newTable("it_writer");
        db.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v TEXT) WITH (number_of_replicas = 0)");
        return table;
    }

    private static String insert(String table) {
        return "INSERT INTO " + table + " (id, v) VALUES (?, ?)";
    }
}
