package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.ClientsWithClock;
import dev.cratereactive.CrateClient;
import dev.cratereactive.Node;
import dev.cratereactive.internal.DefaultCrateClient;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.NodeSet;
import dev.cratereactive.testing.RealCrateDb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Routing over a real three-node cluster ({@link NodeSet#CLUSTER}): which node coordinated a query comes from
 * that query's own row in {@code sys.jobs}. One node is stopped while reads run and started again afterwards;
 * the extension also starts it before and after this class, whatever happens, since others share the cluster.
 * The class runs beside the others (it mostly waits for the node); they use other nodes.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(CrateDb.STOPPABLE_NODE_LOCK)
@RealCrateDb(NodeSet.CLUSTER)
class ClusterIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;
    private static final int READS = 1_000;
    /** Longer than any dead time the stopped node can have collected during the reads. */
    private static final Duration DEAD_TIME_PASSED = Duration.ofHours(1);

    @Test
    void roundRobinSpreadsQueriesOverTheThreeNodes(CrateDb db) {
        List<String> names = nodeNames(db);
        assertThat(new HashSet<>(names)).as("node names behind %s", db.urls()).hasSize(3);

        CrateClient client = db.client();
        List<String> coordinators = new ArrayList<>();
        for (int i = 0; i < 2 * names.size(); i++) {
            coordinators.add(coordinatorOf(client, db));
        }
        List<String> expected = new ArrayList<>(names);
        expected.addAll(names);
        assertThat(coordinators).as("coordinating node of each query, in order").isEqualTo(expected);
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES) // stopping and restarting a node takes its time
    void nodeStoppedWhileReadsRunLosesNoReadAndServesAgainAfterItsDeadTime(CrateDb db) {
        List<String> names = nodeNames(db);
        // The dead-node clock stands still until the test moves it: however slow the machine, the stopped node
        // stays dead while the reads run, and its dead time passes exactly when the test says so.
        AtomicLong clock = new AtomicLong(System.nanoTime());
        DefaultCrateClient client = db.track(ClientsWithClock.build(db.builder()
            .maxRetries(3)
            .backoffFactor(Duration.ofMillis(100))
            .deadNodeRetryInterval(Duration.ofSeconds(1)), clock::get));
        try {
            // The stop starts after read 100; reads from 500 on wait until the node is gone, so reads run before,
            // during and after its shutdown.
            Mono<Void> stop = Mono.<Void>fromRunnable(db::stopNode).subscribeOn(Schedulers.boundedElastic()).cache();
            AtomicInteger failed = new AtomicInteger();
            List<Object> values = Flux.range(1, READS)
                .flatMapSequential(i -> {
                    if (i == 100) {
                        stop.subscribe(null, error -> { });
                    }
                    Mono<Object> read = client.sql("SELECT ? AS i", i).map(row -> row.get("i")).single()
                        .onErrorResume(error -> {
                            failed.incrementAndGet();
                            return Mono.just(error);
                        });
                    return i >= 500 ? stop.then(read) : read;
                }, 4)
                .collectList()
                .block(Duration.ofMinutes(4));

            assertThat(failed).as("failed reads").hasValue(0);
            assertThat(values).hasSize(READS);
            for (int i = 0; i < READS; i++) {
                assertThat(values.get(i)).as("read %s", i + 1).isEqualTo(i + 1);
            }
            List<Node> dead = client.nodes().stream().filter(client.deadNodes()::isDead).toList();
            assertThat(dead).as("the stopped node, marked dead").hasSize(1);
            String stopped = names.get(client.nodes().indexOf(dead.get(0)));

            db.startNode();
            // Each probe lets the dead time pass, so a try that still finds the node starting up is not final.
            String back = coordinator(client, db)
                .doOnSubscribe(subscription -> clock.addAndGet(DEAD_TIME_PASSED.toNanos()))
                .delaySubscription(Duration.ofMillis(200))
                .repeat()
                .filter(stopped::equals)
                .blockFirst(Duration.ofMinutes(2));
            assertThat(back).as("the restarted node coordinates queries again").isEqualTo(stopped);
            assertThat(client.deadNodes().isDead(dead.get(0))).isFalse();
        } finally {
            db.startNode();
        }
    }

    /** @return the name of the node behind each URL, in URL order */
    private static List<String> nodeNames(CrateDb db) {
        List<String> names = new ArrayList<>();
        for (String url : db.urlsWithoutCredentials()) {
            names.add(coordinatorOf(db.track(db.builder(List.of(url)).build()), db));
        }
        return names;
    }

    /** @return the name of the node that coordinated this very query, from its own row in {@code sys.jobs} */
    private static String coordinatorOf(CrateClient client, CrateDb db) {
        return coordinator(client, db).block(TIMEOUT);
    }

    private static Mono<String> coordinator(CrateClient client, CrateDb db) {
        return Mono.defer(() -> {
            String marker = db.uniqueName("rr_probe");
            return client.sql("SELECT node['name'] AS coordinator FROM sys.jobs WHERE stmt LIKE '%" + marker + "%'")
                .single()
                .map(row -> (String) row.get("coordinator"));
        });
    }
}
