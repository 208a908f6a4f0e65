package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.BulkOutcome;
import dev.cratereactive.BulkWriter;
import dev.cratereactive.CrateClient;
import dev.cratereactive.Upsert;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.NodeSet;
import dev.cratereactive.testing.RealCrateDb;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * An upsert writer against the kit's three-node cluster ({@link NodeSet#CLUSTER}) while one node is stopped
 * mid-run: a request that could not be written goes to another node, one written without an answer is resent (the
 * writer is idempotent), rows on shards being failed over are resent after 5002, and the table ends with exactly
 * the rows sent. The extension starts the node before and after the class, whatever happens.
 */
@RealCrateDb(NodeSet.CLUSTER)
@ResourceLock(CrateDb.STOPPABLE_NODE_LOCK)
class BulkWriterClusterIT {

    private static final Duration LONG = Duration.ofMinutes(10);
    private static final long ITEMS = 300_000;

    record Reading(long id, String v) {
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void anUpsertWriterLosesAndDuplicatesNothingWhenANodeStopsMidRun(CrateDb db) {
        CrateClient client = db.client(builder -> builder.backoffFactor(Duration.ofMillis(100)));
        String table = db.newTable("it_writer_cluster");
        db.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v TEXT) CLUSTERED INTO 6 SHARDS"
            + " WITH (number_of_replicas = 1)");
        awaitStartedShards(db, table);
        try {
            BulkWriter<Reading> writer = client.<Reading>bulkWriter(
                    Upsert.statement(table, List.of("id", "v"), List.of("id")), r -> List.of(r.id(), r.v()))
                .idempotent(true)
                .itemRetries(10)
                .build();
            List<BulkOutcome<Reading>> notWritten = new CopyOnWriteArrayList<>();
            AtomicBoolean stopping = new AtomicBoolean();
            AtomicLong outcomes = new AtomicLong();
            AtomicLong outcomesWhenDown = new AtomicLong(-1);
            AtomicLong resent = new AtomicLong();
            AtomicReference<Throwable> stopFailure = new AtomicReference<>();
            StepVerifier.create(writer.write(Flux.range(1, (int) ITEMS).map(i -> new Reading(i, "value-" + i)))
                    .doOnNext(outcome -> {
                        if (outcomes.incrementAndGet() == 30_000 && stopping.compareAndSet(false, true)) {
                            Mono.fromRunnable(db::stopNode).subscribeOn(Schedulers.boundedElastic())
                                .subscribe(nothing -> { }, stopFailure::set, () -> outcomesWhenDown.set(outcomes.get()));
                        }
                        if (outcome.attempts() > 1) {
                            resent.incrementAndGet();
                        }
                        if (!outcome.isSuccess()) {
                            notWritten.add(outcome);
                        }
                    })
                    .count())
                .expectNext(ITEMS)
                .expectComplete()
                .verify(LONG);
            assertThat(stopFailure.get()).as("stopping the node").isNull();
            assertThat(outcomesWhenDown.get()).as("outcomes when the node was down").isBetween(30_000L, ITEMS - 1);
            System.out.printf("[BulkWriterClusterIT] node down after %d of %d outcomes; %d rows needed more than one"
                + " request%n", outcomesWhenDown.get(), ITEMS, resent.get());
            assertThat(notWritten).as("outcomes other than success").isEmpty();

            db.refresh(table);
            assertThat(db.query("SELECT count(*) AS n, count(DISTINCT id) AS ids FROM " + table)).singleElement()
                .satisfies(row -> {
                    assertThat(row.get("n", Long.class)).isEqualTo(ITEMS);
                    assertThat(row.get("ids", Long.class)).isEqualTo(ITEMS);
                });
        } finally {
            db.startNode(); // the table is dropped after the test, by a client that needs a cluster with all nodes
        }
    }

    private static void awaitStartedShards(CrateDb db, String table) {
        db.client().sql("SELECT count(*) AS n FROM sys.shards WHERE schema_name || '.' || table_name = ?"
                + " AND state = 'STARTED'", table)
            .map(row -> row.get("n", Long.class))
            .single()
            .flatMap(started -> started == 12 ? Mono.just(started)
                : Mono.error(new IllegalStateException(started + " of 12 shard copies started")))
            .retryWhen(Retry.fixedDelay(120, Duration.ofSeconds(1)))
            .block(LONG);
    }
}
