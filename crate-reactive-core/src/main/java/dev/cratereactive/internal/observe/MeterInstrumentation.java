package dev.cratereactive.internal.observe;

import dev.cratereactive.Node;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import reactor.netty.resources.ConnectionProvider;

/**
 * The client's meters in a Micrometer registry. Loaded only when the user set a {@code MeterRegistry}. Names and
 * tags are those of DESIGN.md's "Meters" (and the README's table).
 */
final class MeterInstrumentation implements Instrumentation {

    static final String CALLS = "cratedb.client.calls";
    static final String ATTEMPTS = "cratedb.client.attempts";
    static final String RETRIES = "cratedb.client.retries";
    static final String NODE_DEAD = "cratedb.client.node.dead";
    static final String KILLS = "cratedb.client.kills";
    static final String ROWS = "cratedb.client.rows";
    static final String BYTES_SENT = "cratedb.client.bytes.sent";
    static final String BYTES_RECEIVED = "cratedb.client.bytes.received";
    static final String NODES_DEAD = "cratedb.client.nodes.dead";

    private final MeterRegistry registry;
    /*
     * Tagged with the client: untagged, every client after the first shared the first one's gauge. Held strongly
     * and removed on close: Micrometer holds a gauge's object weakly, and nothing else held this supplier, so
     * the gauge read NaN after a collection.
     */
    private final Gauge nodesDead;

    private MeterInstrumentation(MeterRegistry registry, String clientName, IntSupplier deadNodes) {
        this.registry = registry;
        this.nodesDead = Gauge.builder(NODES_DEAD, deadNodes, IntSupplier::getAsInt)
            .description("CrateDB nodes the client currently skips")
            .tags("client", clientName)
            .strongReference(true)
            .register(registry);
    }

    static Instrumentation create(Object registry, String clientName, IntSupplier deadNodes) {
        return new MeterInstrumentation((MeterRegistry) registry, clientName, deadNodes);
    }

    @Override
    public void close() {
        registry.remove(nodesDead);
    }

    @Override
    public CallObserver call(String operation, String sql, Object parent) {
        long start = System.nanoTime();
        return new CallObserver() {
            @Override
            public AttemptObserver attempt(Node node, int number) {
                long attemptStart = System.nanoTime();
                return (outcome, error, bytesSent, bytesReceived) -> {
                    Timer.builder(ATTEMPTS)
                        .description("One try of a statement on one node")
                        .tags(Tags.of("operation", operation, "node", node.toString(), "outcome", outcome.tag(),
                            "error.code", Instrumentation.errorCode(error)))
                        .register(registry)
                        .record(System.nanoTime() - attemptStart, TimeUnit.NANOSECONDS);
                    Tags nodeTag = Tags.of("node", node.toString());
                    Counter.builder(BYTES_SENT).baseUnit("bytes").tags(nodeTag).register(registry).increment(bytesSent);
                    Counter.builder(BYTES_RECEIVED).baseUnit("bytes").tags(nodeTag).register(registry)
                        .increment(bytesReceived);
                };
            }

            @Override
            public void end(Outcome outcome, Throwable error, Node node, long rows) {
                Timer.builder(CALLS)
                    .description("A statement from subscription to its end, retries included")
                    .tags(Tags.of("operation", operation, "node", node == null ? "none" : node.toString(),
                        "outcome", outcome.tag(), "error.code", Instrumentation.errorCode(error)))
                    .register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                if (rows > 0) {
                    Counter.builder(ROWS).baseUnit("rows").tags("operation", operation).register(registry)
                        .increment(rows);
                }
            }
        };
    }

    @Override
    public void retried(Node failed, String operation) {
        Counter.builder(RETRIES).description("Attempts retried after a failure")
            .tags("node", failed.toString(), "operation", operation).register(registry).increment();
    }

    @Override
    public void nodeDead(Node node) {
        Counter.builder(NODE_DEAD).description("Transitions of a node from alive to dead")
            .tags("node", node.toString()).register(registry).increment();
    }

    @Override
    public void killed(Node node, KillResult result) {
        Counter.builder(KILLS).description("Server-side kills of cancelled or timed-out statements")
            .tags("node", node.toString(), "outcome", result.tag()).register(registry).increment();
    }

    @Override
    public ConnectionProvider.MeterRegistrar poolMetrics() {
        return new PoolMeters(registry);
    }
}
