package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateException;
import dev.cratereactive.CrateTimeoutException;
import dev.cratereactive.NodeHealth;
import dev.cratereactive.Row;
import dev.cratereactive.Statement;
import dev.cratereactive.testing.Await;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.RealCrateDb;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Statement tags, server-side cancel, deadlines and health against a real CrateDB: a cancelled heavy query must
 * not keep running on the cluster.
 */
@RealCrateDb
class ServerCancelIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;

    /** A table of 2,000 rows: its triple cross join (8e9 rows) runs far longer than any of these tests. */
    private static String heavyQuery(CrateDb db) {
        String table = db.newTable("it_heavy");
        db.execute("CREATE TABLE " + table + " (x INT)");
        db.execute("INSERT INTO " + table + " (x) (SELECT * FROM generate_series(1, 2000))");
        db.refresh(table);
        return "SELECT count(*) FROM " + table + " a CROSS JOIN " + table + " b CROSS JOIN " + table + " c";
    }

    /** @return the running jobs whose statement carries {@code label} in its tag */
    private static List<Row> running(CrateDb db, String label) {
        return db.query("SELECT id, stmt FROM sys.jobs WHERE stmt LIKE ?", "/* crate-reactive:% " + label + " */ %");
    }

    private static List<Row> logged(CrateDb db, String label) {
        return db.query("SELECT stmt, error FROM sys.jobs_log WHERE stmt LIKE ?", "/* crate-reactive:% " + label + " */ %");
    }

    private static void awaitKilledInLog(CrateDb db, String label) {
        Await.until("sys.jobs_log shows the job killed", Duration.ofSeconds(10), () -> logged(db, label).stream()
            .anyMatch(row -> String.valueOf(row.get("error")).contains("Job killed")));
    }

    /** The job leaves {@code sys.jobs} within 2 s of {@code what} (the cancel or the deadline) and was killed. */
    private static void awaitKilledWithinTwoSecondsOf(String what, CrateDb db, String label) {
        Await.until("the job is gone from sys.jobs within 2 s of " + what, Duration.ofSeconds(2),
            () -> running(db, label).isEmpty());
        awaitKilledInLog(db, label);
    }

    @Test
    void theTagAndLabelAreInSysJobsLog(CrateDb db) {
        String label = db.uniqueName("it_tag");
        StepVerifier.create(db.client().sql(Statement.of("SELECT 1 AS one").tag(label))).expectNextCount(1)
            .expectComplete().verify(TIMEOUT);
        Await.until("the statement is in sys.jobs_log", Duration.ofSeconds(10), () -> !logged(db, label).isEmpty());
        assertThat((String) logged(db, label).get(0).get("stmt"))
            .matches("/\\* crate-reactive:[0-9a-f]{32} " + label + " \\*/ SELECT 1 AS one");
    }

    @Test
    void aHeavyQueryCancelledAfterOneSecondIsKilledOnTheServer(CrateDb db) {
        String heavy = heavyQuery(db);
        String label = db.uniqueName("it_cancel");
        Disposable subscription = db.client().sql(Statement.of(heavy).tag(label)).subscribe(row -> { }, error -> { });
        Await.until("the heavy query runs", Duration.ofSeconds(10), () -> !running(db, label).isEmpty());
        Mono.delay(Duration.ofSeconds(1)).block(); // let it run, as a user would before giving up
        subscription.dispose();

        awaitKilledWithinTwoSecondsOf("the cancel", db, label);
    }

    @Test
    void withCancelOnServerOffTheQueryKeepsRunning(CrateDb db) {
        String heavy = heavyQuery(db);
        String label = db.uniqueName("it_nocancel");
        CrateClient client = db.client(builder -> builder.cancelOnServer(false));
        Disposable subscription = client.sql(Statement.of(heavy).tag(label)).subscribe(row -> { }, error -> { });
        try {
            Await.until("the heavy query runs", Duration.ofSeconds(10), () -> !running(db, label).isEmpty());
            subscription.dispose();
            Mono.delay(Duration.ofSeconds(3)).block(); // longer than a server-side cancel takes (see above)
            assertThat(running(db, label)).as("still running 3 s after the cancel: the connection close stops nothing")
                .hasSize(1);
        } finally {
            for (Row job : running(db, label)) {
                db.execute("KILL ?", job.get("id"));
            }
        }
        Await.until("the test's own KILL stopped it", Duration.ofSeconds(5), () -> running(db, label).isEmpty());
    }

    @Test
    void aPassedDeadlineFailsTheCallAndKillsTheJob(CrateDb db) {
        String heavy = heavyQuery(db);
        String label = db.uniqueName("it_deadline");
        StepVerifier.create(db.client().sql(Statement.of(heavy).tag(label).timeout(Duration.ofSeconds(1))))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateTimeoutException.class)
                .hasMessageContaining("Deadline of 1000 ms passed")
                .hasMessageContaining("the statement was sent and runs there"))
            .verify(TIMEOUT);
        awaitKilledWithinTwoSecondsOf("the deadline", db, label);
    }

    @Test
    void aCancelledSessionStatementIsKilledOnTheServer(CrateDb db) {
        String heavy = heavyQuery(db);
        String label = db.uniqueName("it_session_cancel");
        Disposable subscription = db.client().session(session -> session.sql(Statement.of(heavy).tag(label)))
            .subscribe(row -> { }, error -> { });
        Await.until("the heavy query runs", Duration.ofSeconds(10), () -> !running(db, label).isEmpty());
        subscription.dispose();

        awaitKilledWithinTwoSecondsOf("the cancel (closing the session's connection alone stops nothing)", db,
            label);
    }

    @Test
    void aSessionStatementsDeadlineFailsItAndKillsTheJob(CrateDb db) {
        String heavy = heavyQuery(db);
        String label = db.uniqueName("it_session_deadline");
        StepVerifier.create(db.client().session(session -> session.execute("SET SESSION enable_hashjoin = true")
                .thenMany(session.sql(Statement.of(heavy).tag(label).timeout(Duration.ofSeconds(1))))))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateTimeoutException.class)
                .hasMessageContaining("Deadline of 1000 ms passed")
                .hasMessageContaining("the server job is being killed"))
            .verify(TIMEOUT);
        awaitKilledWithinTwoSecondsOf("the deadline", db, label);
    }

    @Test
    void killByJobIdFailsTheRunningStatementWith5005(CrateDb db) throws Exception {
        String heavy = heavyQuery(db);
        String label = db.uniqueName("it_kill");
        CompletableFuture<List<Row>> result = db.client(builder -> builder.cancelOnServer(false))
            .sql(Statement.of(heavy).tag(label)).collectList().toFuture();
        Await.until("the heavy query runs", Duration.ofSeconds(10), () -> !running(db, label).isEmpty());
        db.execute("KILL ?", running(db, label).get(0).get("id"));
        try {
            result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("the killed statement completed");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(CrateException.class);
            assertThat(((CrateException) e.getCause()).errorCode()).isEqualTo(5005);
            assertThat(((CrateException) e.getCause()).httpStatus()).isEqualTo(500);
        }
    }

    @Test
    void healthProbesEveryNodeWithHeadRoot(CrateDb db) {
        List<NodeHealth> health = db.client().health().block(TIMEOUT);
        assertThat(health).hasSize(db.client().nodes().size()).allSatisfy(node -> {
            assertThat(node.reachable()).isTrue();
            assertThat(node.ready()).isTrue();
            assertThat(node.deadUntil()).isEmpty();
            assertThat(node.lastFailure()).isEmpty();
        });
    }
}
