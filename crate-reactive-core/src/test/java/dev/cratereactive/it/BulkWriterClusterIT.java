package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.BulkOutcome;
import dev.cratereactive.BulkWriter;
import dev.cratereactive.CrateClient;
import dev.cratereactive.Upsert;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * An upsert writer against the kit's three-node cluster while one node ({@code c2}) is stopped mid-run: requests
 * that reached it without an answer are resent (the writer is idempotent), rows on shards being failed over are
 * resent after 5002, and the table ends with exactly the rows sent.
 *
 * <p>Needs {@value #CLUSTER_VARIABLE} (the cluster's node URLs) and {@value #STOP_VARIABLE} /
 * {@value #START_VARIABLE}; skipped with the reason otherwise. The node is started before the test (a no-op when
 * it answers) and after it, whatever happens.
 */
class BulkWriterClusterIT {

    /** The nodes of one cluster, comma-separated (the kit's {@code cluster} set). */
    static final String CLUSTER_VARIABLE = "CRATEDB_CLUSTER_URLS";
    static final String STOP_VARIABLE = "CRATEDB_STOP_NODE_COMMAND";
    static final String START_VARIABLE = "CRATEDB_START_NODE_COMMAND";

    private static final Duration LONG = Duration.ofMinutes(10);

    record Reading(long id, String v) {
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void anUpsertWriterLosesAndDuplicatesNothingWhenANodeStopsMidRun() {
        List<String> nodes = nodes();
        String stop = System.getenv(STOP_VARIABLE);
        String start = System.getenv(START_VARIABLE);
        Assumptions.assumeTrue(nodes.size() > 1 && stop != null && !stop.isBlank() && start != null && !start.isBlank(),
            "stopping a cluster node mid-write needs " + CLUSTER_VARIABLE + " (several nodes), " + STOP_VARIABLE
                + " and " + START_VARIABLE);
        run(start);
        String table = "doc.it_writer_cluster_" + String.format("%08x", ThreadLocalRandom.current().nextInt());
        try (CrateClient client = CrateClient.builder().nodes(nodes).backoffFactor(Duration.ofMillis(100)).build()) {
            try {
                awaitNodes(client, nodes.size());
                client.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v TEXT) CLUSTERED INTO 6 SHARDS"
                    + " WITH (number_of_replicas = 1)").block(LONG);
                client.sql("SELECT 1 FROM sys.shards WHERE table_name = ? AND state <> 'STARTED' LIMIT 1",
                        table.substring(4)).hasElements()
                    .flatMap(pending -> pending ? Mono.error(new IllegalStateException("shards not started"))
                        : Mono.just(true))
                    .retryWhen(reactor.util.retry.Retry.fixedDelay(120, Duration.ofSeconds(1)))
                    .block(LONG);

                long items = 300_000;
                BulkWriter<Reading> writer = client.<Reading>bulkWriter(
                        Upsert.statement(table, List.of("id", "v"), List.of("id")), r -> List.of(r.id(), r.v()))
                    .idempotent(true)
                    .itemRetries(10)
                    .build();
                List<BulkOutcome<Reading>> notWritten = new CopyOnWriteArrayList<>();
                AtomicBoolean stopped = new AtomicBoolean();
                AtomicLong outcomesWhenDown = new AtomicLong(-1);
                AtomicLong resent = new AtomicLong();
                AtomicReference<Throwable> stopFailure = new AtomicReference<>();
                long[] counts = new long[1];
                StepVerifier.create(writer.write(Flux.range(1, (int) items).map(i -> new Reading(i, "value-" + i)))
                        .doOnNext(outcome -> {
                            if (++counts[0] == 30_000 && stopped.compareAndSet(false, true)) {
                                Mono.fromRunnable(() -> run(stop)).subscribeOn(Schedulers.boundedElastic())
                                    .subscribe(nothing -> { }, stopFailure::set,
                                        () -> outcomesWhenDown.set(counts[0]));
                            }
                            if (outcome.attempts() > 1) {
                                resent.incrementAndGet();
                            }
                            if (!outcome.isSuccess()) {
                                notWritten.add(outcome);
                            }
                        })
                        .count())
                    .expectNext(items)
                    .expectComplete()
                    .verify(LONG);
                assertThat(stopFailure.get()).as("stopping the node").isNull();
                assertThat(outcomesWhenDown.get()).as("outcomes when the node was down").isBetween(30_000L, items - 1);
                System.out.printf("[BulkWriterClusterIT] node down after %d of %d outcomes; %d rows needed more than"
                    + " one request%n", outcomesWhenDown.get(), items, resent.get());
                Map<Boolean, Long> retried = notWritten.stream().collect(Collectors.partitioningBy(
                    BulkOutcome::outcomeUnknown, Collectors.counting()));
                assertThat(notWritten).as("outcomes other than success (unknown: %s)", retried).isEmpty();

                client.execute("REFRESH TABLE " + table).block(LONG);
                assertThat(client.sql("SELECT count(*) AS n, count(DISTINCT id) AS ids FROM " + table).blockFirst(LONG))
                    .satisfies(row -> {
                        assertThat(row.get("n", Long.class)).isEqualTo(items);
                        assertThat(row.get("ids", Long.class)).isEqualTo(items);
                    });
            } finally {
                run(start);
                awaitNodes(client, nodes.size());
                client.execute("DROP TABLE IF EXISTS " + table).block(LONG);
            }
        }
    }

    /** @return the cluster's node URLs, or an empty list (the test is then skipped with the reason) */
    static List<String> nodes() {
        String configured = System.getenv(CLUSTER_VARIABLE);
        return configured == null ? List.of()
            : Arrays.stream(configured.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static void awaitNodes(CrateClient client, int expected) {
        client.sql("SELECT count(*) AS n FROM sys.nodes").map(row -> row.get("n", Long.class))
            .single()
            .flatMap(n -> n == expected ? Mono.just(n) : Mono.error(new IllegalStateException(n + " nodes")))
            .retryWhen(reactor.util.retry.Retry.fixedDelay(120, Duration.ofSeconds(1)))
            .block(LONG);
    }

    private static void run(String command) {
        try {
            Process process = new ProcessBuilder("sh", "-c", command).inheritIO().start();
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("command failed: " + command);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run: " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }
}
