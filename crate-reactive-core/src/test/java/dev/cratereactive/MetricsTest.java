package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.Await;
import dev.cratereactive.testing.Reply;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** The meters of DESIGN.md's "Meters", with their tags, in a Micrometer registry. */
class MetricsTest extends FailoverPairTestSupport {


    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    MetricsTest() {
        working.respond(Reply.transcript("select-simple"));
    }

    @Test
    void aRetriedCallRecordsTheCallTwoAttemptsARetryAndADeadNode() {
        client = failingThenWorking()
            .meterRegistry(registry).build();
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);

        assertThat(registry.get("cratedb.client.calls").tags("operation", "SELECT", "outcome", "success",
            "error.code", "none", "node", working.url()).timer().count()).isEqualTo(1);
        assertThat(registry.get("cratedb.client.attempts").tags("node", failing.url(), "outcome", "error").timer().count())
            .isEqualTo(1);
        assertThat(registry.get("cratedb.client.attempts").tags("node", working.url(), "outcome", "success").timer()
            .count()).isEqualTo(1);
        assertThat(registry.get("cratedb.client.retries").tags("node", failing.url()).counter().count()).isEqualTo(1);
        assertThat(registry.get("cratedb.client.node.dead").tags("node", failing.url()).counter().count()).isEqualTo(1);
        assertThat(registry.get("cratedb.client.nodes.dead").tagKeys("client").gauge().value()).isEqualTo(1);
        assertThat(registry.get("cratedb.client.rows").tags("operation", "SELECT").counter().count()).isEqualTo(1);
        assertThat(registry.get("cratedb.client.bytes.sent").tags("node", working.url()).counter().count()).isPositive();
        assertThat(registry.get("cratedb.client.bytes.received").tags("node", working.url()).counter().count())
            .isPositive();
    }

    @Test
    void eachClientHasItsOwnDeadNodesGaugeNamedLikeItsPoolUntilItCloses() {
        client = failingThenWorking().meterRegistry(registry).build();
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        try (CrateClient healthy = CrateClient.builder().nodes(working.url()).meterRegistry(registry).build()) {
            StepVerifier.create(healthy.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
            assertThat(registry.find("cratedb.client.nodes.dead").gauges()).hasSize(2)
                .extracting(gauge -> gauge.value()).containsExactlyInAnyOrder(1.0, 0.0);
            Meter failing = registry.find("cratedb.client.nodes.dead").gauges().stream()
                .filter(gauge -> gauge.value() == 1).findFirst().orElseThrow();
            // the same name as the client's pool meters
            assertThat(registry.find("reactor.netty.connection.provider.max.connections").gauges())
                .extracting(gauge -> gauge.getId().getTag("name")).contains(failing.getId().getTag("client"));
            System.gc(); // the gauge must not read a collected supplier (Micrometer holds gauges weakly by default)
            assertThat(registry.get("cratedb.client.nodes.dead").tag("client", failing.getId().getTag("client"))
                .gauge().value()).isEqualTo(1);
        }
        assertThat(registry.find("cratedb.client.nodes.dead").gauges()).hasSize(1);
        client.close();
        assertThat(registry.find("cratedb.client.nodes.dead").gauges()).isEmpty();
    }

    @Test
    void aRejectedStatementIsTaggedWithCrateDbsCode() {
        client = CrateClient.builder().nodes(working.url()).meterRegistry(registry).build();
        working.respond(Reply.transcript("error-unknown-table"));
        StepVerifier.create(client.sql("SELECT * FROM missing")).expectError(CrateSqlException.class).verify(WAIT);
        assertThat(registry.get("cratedb.client.calls").tags("outcome", "error", "error.code", "4041").timer().count())
            .isEqualTo(1);
    }

    @Test
    void aCancelIsTaggedCancelledAndItsKillCounted() {
        working.respond(request -> request.statement().startsWith("SELECT id FROM sys.jobs")
            ? Reply.json(200, "{\"cols\":[\"id\"],\"col_types\":[4],\"rows\":[],\"rowcount\":0,\"duration\":1.0}")
            : Reply.stall());
        client = CrateClient.builder().nodes(working.url()).meterRegistry(registry).build();
        Disposable call = client.sql("SELECT count(*) FROM big").subscribe();
        Await.until("sent", WAIT, () -> !working.requests().isEmpty());
        call.dispose();
        assertThat(registry.get("cratedb.client.calls").tags("outcome", "cancelled").timer().count()).isEqualTo(1);
        Await.until("the kill found no job", WAIT, () -> registry.find("cratedb.client.kills")
            .tags("node", working.url(), "outcome", "not_found").counter() != null);
    }

    @Test
    void thePoolsMetricsComeFromReactorNetty() {
        client = CrateClient.builder().nodes(working.url()).meterRegistry(registry).build();
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(registry.getMeters()).extracting(meter -> meter.getId().getName())
            .contains("reactor.netty.connection.provider.total.connections",
                "reactor.netty.connection.provider.active.connections",
                "reactor.netty.connection.provider.idle.connections",
                "reactor.netty.connection.provider.pending.connections",
                "reactor.netty.connection.provider.max.connections");
        Meter idle = registry.get("reactor.netty.connection.provider.idle.connections")
            .tag("remote.address", "127.0.0.1:" + working.port()).meter();
        Await.until("the connection is back in the pool", WAIT,
            () -> registry.get("reactor.netty.connection.provider.idle.connections").gauge().value() == 1);
        assertThat(idle.getId().getTag("name")).startsWith("crate-reactive-");
        System.gc(); // the gauges must not read a collected object (Micrometer holds gauges' objects weakly)
        assertThat(registry.get("reactor.netty.connection.provider.max.connections")
            .tag("remote.address", "127.0.0.1:" + working.port()).gauge().value()).isEqualTo(64);
        assertThat(registry.get("reactor.netty.connection.provider.idle.connections")
            .tag("remote.address", "127.0.0.1:" + working.port()).gauge().value()).isEqualTo(1);
    }
}
