package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateConnectionException;
import dev.cratereactive.CrateException;
import dev.cratereactive.Row;
import dev.cratereactive.Statement;
import dev.cratereactive.internal.DefaultCrateClient;
import dev.cratereactive.testing.Await;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.NodeSet;
import dev.cratereactive.testing.RealCrateDb;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The chaos soak (issue 15): a mixed load against the kit's three-node cluster while node c2 is stopped and
 * started again at random intervals. Not part of {@code mvn -B verify} (no {@code IT} suffix); run it with
 * <pre>
 * mvn -pl crate-reactive-core -Dit.test=ChaosSoak -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dsoak.seconds=300 -Dsoak.maxRequests=200000 verify
 * </pre>
 * Load (8 in flight), as a user of its own ({@code soak_<hex>}, all privileges) so that its jobs and sessions can
 * be told from other work on the cluster: point reads of a fixed table (value known); {@value #STREAM_ROWS}-row
 * streams cancelled at a random row (one in ten read to the end); cursor reads ({@code fetchSize}) of the fixed
 * table, half read to the end, half cancelled at a random row; {@link SoakUpserts} ({@code BulkWriter} upserts
 * with a known expected final state). Checks at the end: every acknowledged row there once with its last
 * acknowledged value (a value whose outcome the writer reported unknown may stand instead), no id twice, no value
 * the writer reported as not written, every read correct or failed with a {@link CrateException} (a cursor that
 * failed after rows with a {@link CrateConnectionException} saying how many), no job of the soak user in
 * {@code sys.jobs} asked on every node, no cursor session of it in {@code sys.sessions}, the pool back to zero
 * connections in use and no pinned (cursor) connection left, and the heap after GC not grown by more than half
 * (plus 32 MiB). Prints the figures (RELIABILITY.md records a run). Starts c2 again at the end, whatever happens.
 */
@ResourceLock(CrateDb.STOPPABLE_NODE_LOCK)
@RealCrateDb(NodeSet.CLUSTER)
class ChaosSoak {

    static final int STREAM_ROWS = 1_000_000;
    private static final int FIXED_ROWS = 20_000;
    private static final int POINT_IDS = 1_000;
    private static final int[] FETCH_SIZES = {100, 500, 2_000};
    private static final int IN_FLIGHT = 8;
    private static final Duration TIMEOUT = CrateDb.TIMEOUT;

    private final LongAdder pointReads = new LongAdder();
    private final LongAdder streams = new LongAdder();
    private final LongAdder streamRows = new LongAdder();
    private final LongAdder cancels = new LongAdder();
    private final LongAdder cursors = new LongAdder();
    private final LongAdder cursorRows = new LongAdder();
    private final LongAdder cursorCancels = new LongAdder();
    private final LongAdder cursorsLostMidStream = new LongAdder();
    private final LongAdder cursorsLostOnC2 = new LongAdder();
    private final LongAdder documentedFailures = new LongAdder();
    private final Map<String, LongAdder> failuresByKind = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> failureExamples = new ConcurrentHashMap<>();
    private final List<String> wrong = Collections.synchronizedList(new ArrayList<>());

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void mixedLoadWhileANodeStopsAndStarts(CrateDb db) {
        Duration duration = Duration.ofSeconds(Long.getLong("soak.seconds", 300));
        long maxRequests = Long.getLong("soak.maxRequests", 200_000);
        db.startNode(); // another run may have left c2 stopped
        String user = db.uniqueName("soak");
        db.cleanUpAfterTest("DROP USER IF EXISTS " + user); // runs last: clean-ups run in reverse order
        String fixed = db.newTable("soak_fixed");
        String kv = db.newTable("soak_kv");
        db.execute("CREATE USER " + user);
        db.execute("GRANT ALL PRIVILEGES TO " + user);
        db.execute("CREATE TABLE " + fixed + " (id INTEGER PRIMARY KEY, v BIGINT) WITH (number_of_replicas = 1)");
        db.execute("CREATE TABLE " + kv + " (id BIGINT PRIMARY KEY, v BIGINT) WITH (number_of_replicas = 1)");
        db.execute("INSERT INTO " + fixed + " (id, v) (SELECT g, g * 7 FROM generate_series(1, " + FIXED_ROWS + ") AS g)");
        db.refresh(fixed);

        CrateClient client = db.track(db.builder().username(user).maxRetries(3).build());
        SoakUpserts upserts = SoakUpserts.on(client, kv, 8 * IN_FLIGHT);
        int c2 = db.port(2);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        CountDownLatch end = new CountDownLatch(1);
        LongAdder nodeStops = new LongAdder();
        Thread chaos = new Thread(() -> chaos(db, end, nodeStops), "soak-chaos");
        AtomicReference<Throwable> chaosFailure = new AtomicReference<>();
        chaos.setUncaughtExceptionHandler((thread, error) -> chaosFailure.set(error));
        chaos.start();
        long requests;
        try {
            requests = Flux.range(0, (int) Math.min(Integer.MAX_VALUE, maxRequests))
                .takeWhile(i -> System.nanoTime() < deadline)
                .flatMap(i -> operation(client, fixed, upserts, c2).then(Mono.just(1)), IN_FLIGHT)
                .count()
                .block(duration.plus(Duration.ofMinutes(5)));
        } finally {
            end.countDown();
            try {
                chaos.join(TimeUnit.MINUTES.toMillis(7)); // at most a stop and a start command of 3 minutes each
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            db.startNode();
        }
        if (chaosFailure.get() != null) { // e.g. a stop command that stopped nothing: the soak had no chaos
            throw new AssertionError("the chaos thread failed after " + nodeStops.sum() + " stops of c2",
                chaosFailure.get());
        }
        long seconds = Math.max(1, (System.nanoTime() - start) / 1_000_000_000L);
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        // Final state: every acknowledged upsert there with its last acknowledged value; no id twice.
        Await.until("the cluster answers after the last restart", TIMEOUT, () -> answers(() -> db.refresh(kv)));
        Map<Long, Long> stored = new HashMap<>();
        long rows = 0;
        for (Row row : db.query("SELECT id, v FROM " + kv)) {
            rows++;
            stored.put(row.get("id", Long.class), row.get("v", Long.class));
        }
        long duplicates = rows - stored.size();
        SoakUpserts.Verdict verdict = upserts.verify(stored);

        // Nothing left behind: no job of the soak user on any node, no cursor session, no connection in use.
        for (String url : db.urlsWithoutCredentials()) {
            CrateClient node = db.track(db.builder(List.of(url)).build());
            Await.until("no job of the soak left in sys.jobs, asked on " + url, TIMEOUT, () -> answers(() -> {
                long jobs = node.sql("SELECT count(*) AS n FROM sys.jobs WHERE username = ?", user)
                    .map(row -> row.get("n", Long.class)).blockFirst(TIMEOUT);
                if (jobs != 0) {
                    throw new IllegalStateException(jobs + " jobs left");
                }
            }));
        }
        // auth_user, not session_user: unquoted, that is the SQL function (the asking user; transcript
        // sys-sessions-session-user-function).
        Await.until("no cursor session of the soak left in sys.sessions", TIMEOUT, () -> answers(() -> {
            long sessions = db.query("SELECT count(*) AS n FROM sys.sessions WHERE auth_user = ? AND (last_statement"
                + " LIKE 'DECLARE %' OR last_statement LIKE 'FETCH %' OR last_statement LIKE 'CLOSE %')", user)
                .get(0).get("n", Long.class);
            if (sessions != 0) {
                throw new IllegalStateException(sessions + " cursor sessions left");
            }
        }));
        DefaultCrateClient internal = (DefaultCrateClient) client;
        Await.until("the pool has every connection back", TIMEOUT, () -> internal.transport().acquiredConnections() == 0);
        Await.until("every cursor connection released", TIMEOUT, () -> internal.transport().pinnedConnections() == 0);
        long heapAfter = usedHeapAfterGc();

        System.out.printf("%n=== chaos soak: %d s, %d operations (%.0f/s), node c2 stopped %d times,"
            + " load average %.1f -> %.1f ===%n", seconds, requests, (double) requests / seconds, nodeStops.sum(),
            loadBefore, loadAfter);
        System.out.printf("point reads %d, streams %d (%d rows, %d cancelled at a random row)%n",
            pointReads.sum(), streams.sum(), streamRows.sum(), cancels.sum());
        System.out.printf("cursor reads %d (%d rows, %d cancelled at a random row); failed after rows with"
            + " CrateConnectionException %d (%d on c2)%n", cursors.sum(), cursorRows.sum(), cursorCancels.sum(),
            cursorsLostMidStream.sum(), cursorsLostOnC2.sum());
        System.out.printf("writer runs %d (%d failed): rows written %d (%d after a resend), rejected %d,"
            + " outcome unknown %d, never sent %d%n", upserts.runs.sum(), upserts.failedRuns.sum(),
            upserts.written.sum(), upserts.resent.sum(), upserts.rejected.sum(), upserts.unknown.sum(),
            upserts.neverSent.sum());
        System.out.printf("failed with a documented CrateException: %d %s; wrong or undocumented: %d%n",
            documentedFailures.sum(), new TreeMap<>(failuresByKind), wrong.size());
        System.out.printf("acknowledged ids %d, stored rows %d: lost %d, duplicated %d, unknown-outcome value"
            + " stored %d, not-written value stored %d, unexpected %d%n", verdict.acknowledgedIds(), rows,
            verdict.lost(), duplicates, verdict.maybeLanded(), verdict.rejectedButStored(), verdict.unexpected());
        System.out.printf("soak jobs left in sys.jobs (every node): 0; cursor sessions left: 0; connections in use"
            + " at the end: %d, cursor connections: %d%n", internal.transport().acquiredConnections(),
            internal.transport().pinnedConnections());
        System.out.printf("heap after GC: %d MiB before, %d MiB after%n", heapBefore >> 20, heapAfter >> 20);
        new TreeMap<>(failureExamples).forEach((kind, examples) -> examples.forEach(example ->
            System.out.println("e.g. " + kind + ": " + example.substring(example.indexOf('\n') + 1))));
        wrong.stream().limit(20).forEach(line -> System.out.println("WRONG: " + line));
        verdict.examples().forEach(line -> System.out.println("STATE: " + line));

        assertThat(wrong).as("wrong results or undocumented failures").isEmpty();
        assertThat(verdict.lost()).as("acknowledged writes lost").isZero();
        assertThat(duplicates).as("duplicated rows").isZero();
        assertThat(verdict.rejectedButStored()).as("values the writer reported as not written").isZero();
        assertThat(verdict.unexpected()).as("rows with a value nobody wrote").isZero();
        assertThat(heapAfter).as("heap after GC").isLessThan(heapBefore + heapBefore / 2 + (32L << 20));
    }

    private Mono<Void> operation(CrateClient client, String fixed, SoakUpserts upserts, int c2) {
        int pick = ThreadLocalRandom.current().nextInt(20);
        if (pick < 9) {
            return documented("point", pointRead(client, fixed));
        }
        if (pick < 13) {
            return documented("stream", stream(client));
        }
        if (pick < 16) {
            return documented("cursor", cursorRead(client, fixed, c2));
        }
        return documented("writer", upserts.run());
    }

    private Mono<Void> pointRead(CrateClient client, String fixed) {
        int id = 1 + ThreadLocalRandom.current().nextInt(POINT_IDS);
        return client.sql(Statement.of("SELECT v FROM " + fixed + " WHERE id = ?", id).tag("soak-load-point"))
            .map(row -> row.get("v", Long.class)).collectList()
            .doOnNext(values -> {
                pointReads.increment();
                if (!values.equals(List.of(id * 7L))) {
                    wrong.add("point read of id " + id + " returned " + values);
                }
            }).then();
    }

    private Mono<Void> stream(CrateClient client) {
        boolean cancel = ThreadLocalRandom.current().nextInt(10) != 0;
        long take = cancel ? 1 + ThreadLocalRandom.current().nextInt(STREAM_ROWS - 1) : STREAM_ROWS;
        AtomicLong expected = new AtomicLong(1);
        return client.sql(Statement.of("SELECT * FROM generate_series(1, " + STREAM_ROWS + ")").tag("soak-load-stream"))
            .take(take)
            .doOnNext(row -> {
                long value = row.get(0, Long.class);
                if (value != expected.getAndIncrement()) {
                    wrong.add("stream row " + (expected.get() - 1) + " was " + value);
                }
            })
            .then(Mono.fromRunnable(() -> {
                streams.increment();
                streamRows.add(expected.get() - 1);
                if (expected.get() - 1 != take) {
                    wrong.add("stream ended after " + (expected.get() - 1) + " of " + take + " rows");
                } else if (cancel) {
                    cancels.increment();
                }
            }));
    }

    /**
     * The fixed table through a cursor, in id order: half read to the end (all {@value #FIXED_ROWS} rows, ids
     * 1..n, values 7 * id), half cancelled at a random row. A cursor whose connection is lost after rows must
     * fail with a {@link CrateConnectionException} that names the rows delivered.
     */
    private Mono<Void> cursorRead(CrateClient client, String fixed, int c2) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int fetchSize = FETCH_SIZES[random.nextInt(FETCH_SIZES.length)];
        boolean cancel = random.nextBoolean();
        long take = cancel ? 1 + random.nextInt(FIXED_ROWS - 1) : FIXED_ROWS + 1L;
        AtomicLong received = new AtomicLong();
        return client.sql(Statement.of("SELECT id, v FROM " + fixed + " ORDER BY id").fetchSize(fetchSize)
                .tag("soak-load-cursor"))
            .doOnNext(row -> {
                long n = received.incrementAndGet();
                long id = row.get("id", Integer.class);
                long v = row.get("v", Long.class);
                if (id != n || v != 7 * id) {
                    wrong.add("cursor row " + n + " was id " + id + ", v " + v);
                }
            })
            .take(take)
            .doOnError(error -> {
                long rows = received.get();
                if (error instanceof CrateConnectionException lost && rows > 0) {
                    cursorsLostMidStream.increment();
                    if (lost.node().map(node -> node.port() == c2).orElse(false)) {
                        cursorsLostOnC2.increment();
                    }
                    if (!String.valueOf(lost.getMessage()).contains("after " + rows + " rows")) {
                        wrong.add("cursor lost after " + rows + " rows says: " + lost.getMessage());
                    }
                }
            })
            .then(Mono.fromRunnable(() -> {
                cursors.increment();
                cursorRows.add(received.get());
                long expected = cancel ? take : FIXED_ROWS;
                if (received.get() != expected) {
                    wrong.add("cursor read ended after " + received.get() + " of " + expected + " rows");
                } else if (cancel) {
                    cursorCancels.increment();
                }
            }));
    }

    /** A {@link CrateException} is a documented outcome, counted by kind; anything else is wrong. */
    private Mono<Void> documented(String kind, Mono<Void> op) {
        return op.onErrorResume(e -> {
            if (e instanceof CrateException) {
                documentedFailures.increment();
                String key = kind + " " + e.getClass().getSimpleName();
                failuresByKind.computeIfAbsent(key, k -> new LongAdder()).increment();
                // Up to 4 messages per kind that differ other than in numbers (ports, row counts, cursor names).
                Set<String> examples = failureExamples.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
                String message = String.valueOf(e.getMessage());
                String shape = message.replaceAll("[0-9a-f]{8,}|[0-9]+", "#");
                if (examples.size() < 4 && examples.stream().noneMatch(seen -> seen.startsWith(shape + "\n"))) {
                    examples.add(shape + "\n" + message.substring(0, Math.min(300, message.length())));
                }
            } else {
                wrong.add(kind + ": undocumented failure " + e);
            }
            return Mono.empty();
        });
    }

    private static boolean answers(Runnable probe) {
        try {
            probe.run();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Stops node c2 after 10-30 s and starts it again after 5-15 s until {@code end} counts down; always leaves it
     * started. The stop and start commands are never interrupted (an interrupted command would go on in the
     * background and race the next one over the kit's pid file): the soak's end only cuts the waits short.
     */
    private static void chaos(CrateDb db, CountDownLatch end, LongAdder stops) {
        try {
            while (!end.await(ThreadLocalRandom.current().nextLong(10_000, 30_000), TimeUnit.MILLISECONDS)) {
                db.stopNode();
                stops.increment();
                try {
                    end.await(ThreadLocalRandom.current().nextLong(5_000, 15_000), TimeUnit.MILLISECONDS);
                } finally {
                    db.startNode();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
