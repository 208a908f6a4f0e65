package dev.cratereactive.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateConnectionException;
import dev.cratereactive.CrateError;
import dev.cratereactive.CrateException;
import dev.cratereactive.CrateSqlException;
import dev.cratereactive.Node;
import dev.cratereactive.internal.observe.Instrumentation;
import dev.cratereactive.internal.failure.ExchangeFailure;
import dev.cratereactive.internal.failure.FailureClassifier;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The retry-safety rules of {@link Router} without sockets: each attempt of a fake exchange fails (or succeeds) as
 * a script says, and its failure goes through {@link FailureClassifier} as in the real exchange.
 */
class RouterTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String SELECT = "SELECT 1";
    private static final String INSERT = "INSERT INTO t (x) VALUES (1)";

    private final Node a = new Node("http", "a", 4200, "");
    private final Node b = new Node("http", "b", 4200, "");
    private final AtomicLong clock = new AtomicLong();
    private final DeadNodes deadNodes = new DeadNodes(Duration.ofSeconds(30), clock::get);
    private final List<Node> tried = new ArrayList<>();

    private Router router(int maxRetries) {
        return new Router(List.of(a, b), nodes -> nodes, deadNodes,
            maxRetries, Duration.ZERO, Instrumentation.NONE);
    }

    /** One step of the script: what an attempt does. */
    private interface Step {
        Flux<String> run(Attempt attempt);
    }

    private Flux<String> route(Router router, String sql, boolean repeatable, Step... script) {
        return router.route(new Call(sql, Statements.operation(sql), repeatable, null, null, null), attempt -> {
            tried.add(attempt.node());
            return script[attempt.number() - 1].run(attempt);
        });
    }

    /** The attempt fails as the exchange would: classified with what had happened so far. */
    private static Step fail(Throwable failure, boolean written, int status) {
        return attempt -> {
            if (written) {
                attempt.requestWritten();
            }
            return Flux.error(attempt.failed(FailureClassifier.classify(failure, new FailureClassifier.Exchange(
                attempt.node(), "stmt", attempt.repeatable(), attempt.isRequestWritten(), status, 0))));
        };
    }

    private static Step succeed(String... values) {
        return attempt -> {
            attempt.requestWritten();
            attempt.nodeAnswered();
            return Flux.fromArray(values);
        };
    }

    private static ExchangeFailure.ServerError server(int code) {
        return new ExchangeFailure.ServerError(new CrateError(code, "code " + code), null);
    }

    @Test
    void aRefusedConnectionMovesToTheNextNodeAndMarksTheFirstDead() {
        StepVerifier.create(route(router(3), INSERT, false, fail(new ConnectException("refused"), false, 0),
                succeed("ok")))
            .expectNext("ok").expectComplete().verify(WAIT);
        assertThat(tried).containsExactly(a, b);
        assertThat(deadNodes.isDead(a)).isTrue();
        assertThat(deadNodes.isDead(b)).isFalse();
    }

    @Test
    void aResetAfterTheRequestWasWrittenIsRetriedForAReadOnly() {
        StepVerifier.create(route(router(3), SELECT, true, fail(new IOException("reset"), true, 0), succeed("row")))
            .expectNext("row").expectComplete().verify(WAIT);
        assertThat(tried).containsExactly(a, b);
    }

    @Test
    void aResetAfterTheRequestWasWrittenIsFinalForAWriteButTheNodeIsStillMarkedDead() {
        StepVerifier.create(route(router(3), INSERT, false, fail(new IOException("reset"), true, 0), succeed("ok")))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(CrateConnectionException.class)
                .satisfies(e -> assertThat(((CrateException) e).statementMayHaveRun()).isTrue()))
            .verify(WAIT);
        assertThat(tried).containsExactly(a);
        assertThat(deadNodes.isDead(a)).isTrue();
    }

    @Test
    void overloadAndUnavailableAreRetriedForAWriteWithoutMarkingTheNodeDead() {
        StepVerifier.create(route(router(3), INSERT, false,
                fail(new ExchangeFailure.UnexpectedAnswer(null, ""), true, 429), fail(server(5031), true, 503),
                succeed("ok")))
            .expectNext("ok").expectComplete().verify(WAIT);
        assertThat(tried).containsExactly(a, b, a);
        assertThat(deadNodes.isDead(a)).isFalse();
        assertThat(deadNodes.isDead(b)).isFalse();
    }

    @Test
    void aBlockedTableIsSentOnce() {
        StepVerifier.create(route(router(3), SELECT, true, fail(server(4007), true, 400), succeed("row")))
            .expectError(dev.cratereactive.CrateBlockedException.class).verify(WAIT);
        assertThat(tried).containsExactly(a);
    }

    @Test
    void aFailureAfterARowWentDownstreamIsNeverRetried() {
        Step rowThenReset = attempt -> {
            attempt.requestWritten();
            attempt.resultEmitted(1);
            return Flux.concat(Flux.just("row 1"), fail(new IOException("reset"), true, 200).run(attempt));
        };
        StepVerifier.create(route(router(3), SELECT, true, rowThenReset, succeed("row 1")))
            .expectNext("row 1").expectError(CrateConnectionException.class).verify(WAIT);
        assertThat(tried).containsExactly(a);
    }

    @Test
    void whenRetriesRunOutTheErrorCarriesTheLastCodeAndEveryAttempt() {
        StepVerifier.create(route(router(2), INSERT, false, fail(new ConnectException("refused"), false, 0),
                fail(server(5030), true, 503), fail(server(5032), true, 503)))
            .expectErrorSatisfies(error -> {
                CrateException crate = (CrateException) error;
                assertThat(crate).isInstanceOf(CrateConnectionException.class).hasMessageContaining("3 attempts");
                assertThat(crate.errorCode()).isEqualTo(5032);
                assertThat(crate.httpStatus()).isEqualTo(503);
                assertThat(crate.getCause()).isInstanceOf(CrateSqlException.class);
                assertThat(crate.getSuppressed()).hasSize(3);
            })
            .verify(WAIT);
        assertThat(tried).containsExactly(a, b, a);
    }

    @Test
    void aFinalFailureAfterRetriesHasTheEarlierAttemptsAttached() {
        StepVerifier.create(route(router(3), SELECT, true, fail(new ConnectException("refused"), false, 0),
                fail(server(4000), true, 400)))
            .expectErrorSatisfies(error -> {
                assertThat(error).isExactlyInstanceOf(CrateSqlException.class);
                assertThat(error.getSuppressed()).singleElement().isInstanceOf(CrateConnectionException.class);
            })
            .verify(WAIT);
    }
}
