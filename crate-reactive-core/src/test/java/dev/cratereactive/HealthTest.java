package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.internal.DefaultCrateClient;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** {@code health()}: a HEAD / probe per node now, plus the client's dead-node state. */
class HealthTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final CrateTestServer ready = CrateTestServer.start();
    private final CrateTestServer noMaster = CrateTestServer.start().respondToProbes(Reply.text(503, null, ""));
    private final int down = CrateTestServer.unusedPort();
    private DefaultCrateClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        ready.close();
        noMaster.close();
    }

    @Test
    void reportsEachNodesProbeAndDeadState() {
        client = (DefaultCrateClient) CrateClient.builder()
            .nodes(ready.url(), noMaster.url(), "http://127.0.0.1:" + down)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
        Node downNode = client.nodes().get(2);
        client.deadNodes().markDead(downNode, new IllegalStateException("refused"));

        List<NodeHealth> health = client.health().block(WAIT);

        assertThat(health).extracting(NodeHealth::node).containsExactlyElementsOf(client.nodes());
        NodeHealth first = health.get(0);
        assertThat(first.reachable()).isTrue();
        assertThat(first.ready()).isTrue();
        assertThat(first.deadUntil()).isEmpty();
        assertThat(first.failures()).isZero();
        assertThat(first.lastFailure()).isEmpty();

        NodeHealth second = health.get(1);
        assertThat(second.reachable()).isTrue();
        assertThat(second.ready()).as("503: no master").isFalse();
        assertThat(second.lastFailure()).get().asString().contains("HTTP 503");

        NodeHealth third = health.get(2);
        assertThat(third.reachable()).isFalse();
        assertThat(third.ready()).isFalse();
        assertThat(third.failures()).isEqualTo(1);
        assertThat(third.deadUntil()).get().matches(until -> until.isAfter(Instant.now().plusSeconds(20)));
        assertThat(third.lastFailure()).get().asString().contains("did not answer HEAD /");

        assertThat(ready.probes()).hasSize(1);
        assertThat(ready.requests()).as("no statement sent").isEmpty();
    }

    @Test
    void aDeadNodeThatAnswersTheProbeIsAliveAgain() {
        client = (DefaultCrateClient) CrateClient.builder().nodes(ready.url()).build();
        Node node = client.nodes().get(0);
        client.deadNodes().markDead(node, new IllegalStateException("reset"));
        StepVerifier.create(client.health())
            .assertNext(health -> assertThat(health.get(0).deadUntil()).isEmpty())
            .expectComplete()
            .verify(WAIT);
        assertThat(client.deadNodes().isDead(node)).isFalse();
    }
}
