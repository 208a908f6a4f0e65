package dev.cratereactive.internal;

import dev.cratereactive.Node;
import dev.cratereactive.Row;
import dev.cratereactive.internal.codec.RequestBody;
import dev.cratereactive.internal.codec.RequestEncoder;
import dev.cratereactive.internal.observe.Instrumentation;
import dev.cratereactive.internal.observe.Instrumentation.KillResult;
import dev.cratereactive.internal.routing.Router;
import dev.cratereactive.internal.routing.Statements;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Stops a cancelled statement on the server: CrateDB keeps running a statement whose connection was closed.
 * Looks the job up in {@code sys.jobs} by the statement's tag on the node that ran it, then sends {@code KILL}
 * there, each over a pooled connection (never the cancelled one, which is closed), in the background and bounded
 * in time. Failures are logged, never signalled: the user's cancel has already happened.
 */
final class ServerKill {

    private static final Logger LOG = LoggerFactory.getLogger(ServerKill.class);
    static final String LOOKUP = "SELECT id FROM sys.jobs WHERE stmt LIKE ?";
    static final String KILL = "KILL ?";
    /* A cancel right after the request was written can come before the server has registered the job. */
    private static final Duration[] LOOKUP_DELAYS = {Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(300)};

    private final Router router;
    private final SqlExchange exchange;
    private final Duration bound;
    private final Instrumentation instrumentation;
    private final int compressionThreshold;

    ServerKill(Router router, SqlExchange exchange, Duration bound, Instrumentation instrumentation,
               int compressionThreshold) {
        this.compressionThreshold = compressionThreshold;
        this.router = router;
        this.exchange = exchange;
        this.bound = bound;
        this.instrumentation = instrumentation;
    }

    /**
     * Starts the kill and returns at once.
     *
     * @param node the node the statement was sent to
     * @param tagId the statement's tag id
     */
    void kill(Node node, String tagId) {
        String pattern = "/* crate-reactive:" + tagId + "%";
        Flux.fromArray(LOOKUP_DELAYS)
            .concatMap(delay -> Mono.delay(delay).then(lookup(node, pattern)), 1)
            .next()
            .flatMap(jobId -> run(node, KILL, List.of(jobId)).then(Mono.just(KillResult.KILLED)))
            .defaultIfEmpty(KillResult.NOT_FOUND)
            .timeout(bound)
            .onErrorResume(error -> {
                LOG.warn("Could not kill the cancelled statement {} on {}: {}", tagId, node, error.toString());
                return Mono.just(KillResult.FAILED);
            })
            .subscribe(result -> {
                LOG.debug("Server-side cancel of {} on {}: {}", tagId, node, result);
                instrumentation.killed(node, result);
            });
    }

    private Mono<String> lookup(Node node, String pattern) {
        return run(node, LOOKUP, List.of(pattern)).next().map(row -> row.get(0, String.class));
    }

    private Flux<Row> run(Node node, String sql, List<Object> args) {
        String tagged = Statements.tagComment(Statements.newTagId(), "kill") + sql;
        SqlExchange.Request request = new SqlExchange.Request(
            RequestBody.of(RequestEncoder.statement(tagged, args), compressionThreshold), sql);
        return router.once(node, attempt -> exchange.rows(attempt, request));
    }
}
