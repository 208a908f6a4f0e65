package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.internal.DefaultCrateClient;
import dev.cratereactive.testing.Await;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** Statement tags, server-side cancel and deadlines, against the in-process node. */
class ServerCancelTest extends SingleNodeTestSupport {

    private static final Pattern TAG = Pattern.compile("^/\\* crate-reactive:([0-9a-f]{32})( [A-Za-z0-9._:-]+)? \\*/ ");
    /** The job id in the recorded {@code sys-jobs-by-tag} transcript. */
    private static final String JOB_ID = "fd342325-5f78-ef7c-4456-ef2842e6f435";
    private static final String HEAVY = "SELECT count(*) FROM big a CROSS JOIN big b";

    /** The heavy statement never answers; the lookup and KILL answer as CrateDB 6.4.3 did (recorded). */
    private void serveAStatementThatRunsForever() {
        server.respond(request -> {
            String stmt = request.statement();
            if (stmt.startsWith("SELECT id FROM sys.jobs")) {
                return Reply.transcript("sys-jobs-by-tag");
            }
            if (stmt.startsWith("KILL")) {
                return Reply.transcript("kill-running-job");
            }
            return Reply.stall();
        });
    }

    private List<RecordedRequest> requestsStartingWith(String prefix) {
        return server.requests().stream().filter(r -> r.statement() != null && r.statement().startsWith(prefix)).toList();
    }

    private static String tagId(RecordedRequest request) {
        Matcher matcher = TAG.matcher(request.taggedStatement());
        assertThat(matcher.find()).as("tagged: %s", request.taggedStatement()).isTrue();
        return matcher.group(1);
    }

    @Test
    void everyStatementCarriesAUniqueTagAndTheLabel() {
        server.respond(Reply.transcript("select-simple"));
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        StepVerifier.create(client.sql(Statement.of("SELECT 1").tag("nightly-import.v2"))).expectNextCount(1)
            .expectComplete().verify(WAIT);
        List<RecordedRequest> requests = server.requests();
        assertThat(requests.get(0).taggedStatement()).matches("/\\* crate-reactive:[0-9a-f]{32} \\*/ SELECT 1");
        assertThat(requests.get(1).taggedStatement())
            .matches("/\\* crate-reactive:[0-9a-f]{32} nightly-import\\.v2 \\*/ SELECT 1");
        assertThat(tagId(requests.get(0))).isNotEqualTo(tagId(requests.get(1)));
    }

    @Test
    void aLabelOutsideTheAllowedCharactersIsRejected() {
        assertThatThrownBy(() -> Statement.of("SELECT 1").tag("*/ DROP TABLE t; --"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag");
        assertThatThrownBy(() -> Statement.of("SELECT 1").tag("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Statement.of("SELECT 1").tag("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Statement.of("SELECT 1").tag("a:b_c-d.e").tag()).contains("a:b_c-d.e");
    }

    @Test
    void cancellingARunningStatementKillsItsJobOverAnotherConnection() {
        serveAStatementThatRunsForever();
        connect(CrateClient.builder());
        Disposable subscription = client.sql(HEAVY).subscribe();
        Await.until("the statement reached the node", WAIT, () -> !server.requests().isEmpty());
        subscription.dispose();

        Await.until("KILL sent", WAIT, () -> !requestsStartingWith("KILL").isEmpty());
        RecordedRequest heavy = server.requests().get(0);
        RecordedRequest lookup = requestsStartingWith("SELECT id FROM sys.jobs").get(0);
        RecordedRequest kill = requestsStartingWith("KILL").get(0);
        assertThat(lookup.json().path("args").get(0).asString()).isEqualTo("/* crate-reactive:" + tagId(heavy) + "%");
        assertThat(kill.statement()).isEqualTo("KILL ?");
        assertThat(kill.json().path("args").get(0).asString()).isEqualTo(JOB_ID);
        assertThat(lookup.connectionId()).isNotEqualTo(heavy.connectionId());
        awaitPoolRelease(); // the lookup's and the KILL's connections go back too
    }

    @Test
    void withCancelOnServerOffACancelOnlyClosesTheConnection() {
        serveAStatementThatRunsForever();
        connect(CrateClient.builder().cancelOnServer(false));
        Disposable subscription = client.sql(HEAVY).subscribe();
        Await.until("the statement reached the node", WAIT, () -> !server.requests().isEmpty());
        subscription.dispose();
        Await.until("the connection is closed", WAIT, () -> server.openConnections() == 0);
        // A statement sent after the cancel is answered after anything the cancel could have sent.
        server.respond(Reply.transcript("select-simple"));
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(server.requests()).extracting(RecordedRequest::statement).containsExactly(HEAVY, "SELECT 1");
    }

    @Test
    void aCancelAfterTheResponseBeganSendsNoKill() {
        server.respond(Reply.transcript("select-simple"));
        connect(CrateClient.builder());
        StepVerifier.create(client.sql("SELECT 1").take(1)).expectNextCount(1).expectComplete().verify(WAIT);
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(server.requests()).extracting(RecordedRequest::statement).containsExactly("SELECT 1", "SELECT 1");
    }

    @Test
    void aPassedDeadlineFailsWithWhatWasPendingAndKillsTheJob() {
        serveAStatementThatRunsForever();
        connect(CrateClient.builder());
        StepVerifier.create(client.sql(Statement.of(HEAVY).timeout(Duration.ofSeconds(1))))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateTimeoutException.class)
                .hasMessageContaining("Deadline of 1000 ms passed after 1 attempt")
                .hasMessageContaining("the response of " + server.url())
                .satisfies(e -> assertThat(((CrateException) e).statementMayHaveRun()).isTrue()))
            .verify(WAIT);
        Await.until("KILL sent", WAIT, () -> !requestsStartingWith("KILL").isEmpty());
    }

    @Test
    void aCancelledSessionStatementIsKilledOverAPooledConnection() {
        serveAStatementThatRunsForever();
        connect(CrateClient.builder());
        Disposable subscription = client.session(session -> session.sql(HEAVY)).subscribe(row -> { }, error -> { });
        Await.until("the statement reached the node", WAIT, () -> !server.requests().isEmpty());
        subscription.dispose();

        Await.until("KILL sent", WAIT, () -> !requestsStartingWith("KILL").isEmpty());
        RecordedRequest heavy = server.requests().get(0);
        RecordedRequest lookup = requestsStartingWith("SELECT id FROM sys.jobs").get(0);
        assertThat(lookup.json().path("args").get(0).asString()).isEqualTo("/* crate-reactive:" + tagId(heavy) + "%");
        assertThat(lookup.connectionId()).as("not the session's connection").isNotEqualTo(heavy.connectionId());
    }

    @Test
    void aSessionStatementsDeadlineFailsItAndKillsTheJob() {
        serveAStatementThatRunsForever();
        connect(CrateClient.builder());
        StepVerifier.create(client.session(session -> session.execute(Statement.of(HEAVY)
                .timeout(Duration.ofSeconds(1)))))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateTimeoutException.class)
                .hasMessageContaining("Deadline of 1000 ms passed after 1 attempt")
                .hasMessageContaining("the server job is being killed"))
            .verify(WAIT);
        Await.until("KILL sent", WAIT, () -> !requestsStartingWith("KILL").isEmpty());
        Await.until("the session's connection is closed and released", WAIT,
            () -> ((DefaultCrateClient) client).transport().pinnedConnections() == 0);
    }

    @Test
    void theDefaultDeadlineCoversASessionStatement() {
        serveAStatementThatRunsForever();
        connect(CrateClient.builder().cancelOnServer(false).defaultTimeout(Duration.ofMillis(300)));
        StepVerifier.create(client.session(session -> session.sql(HEAVY)))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateTimeoutException.class)
                .hasMessageContaining("Deadline of 300 ms passed"))
            .verify(WAIT);
        assertThat(requestsStartingWith("KILL")).as("cancelOnServer(false)").isEmpty();
    }

    @Test
    void theDefaultDeadlineCoversWaitingForAPooledConnection() {
        serveAStatementThatRunsForever();
        connect(CrateClient.builder().maxConnections(1).cancelOnServer(false).defaultTimeout(Duration.ofMillis(400)));
        Disposable holder = client.sql(Statement.of(HEAVY).timeout(Duration.ofSeconds(30))).subscribe();
        Await.until("the first statement holds the only connection", WAIT, () -> !server.requests().isEmpty());
        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateTimeoutException.class)
                .hasMessageContaining("a connection to " + server.url() + " (pool acquire or connect)"))
            .verify(WAIT);
        holder.dispose();
    }

    @Test
    void theDeadlineCoversTheBackoffBetweenRetries() {
        server.respond(Reply.proxyUnavailable());
        connect(CrateClient.builder().maxRetries(5).backoffFactor(Duration.ofSeconds(20)));
        StepVerifier.create(client.sql(Statement.of("SELECT 1").timeout(Duration.ofSeconds(2))))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateTimeoutException.class)
                .hasMessageContaining("the backoff before attempt 2 (attempt 1 on " + server.url() + " failed")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1)))
            .verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aTimeoutOptionMustBePositive() {
        assertThatThrownBy(() -> Statement.of("SELECT 1").timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("timeout");
        assertThatThrownBy(() -> CrateClient.builder().defaultTimeout(Duration.ofSeconds(-1)).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultTimeout");
    }
}
