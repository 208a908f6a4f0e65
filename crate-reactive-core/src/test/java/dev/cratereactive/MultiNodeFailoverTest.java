package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.internal.DefaultCrateClient;
import dev.cratereactive.testing.Await;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Several in-process nodes; one goes away and comes back. */
class MultiNodeFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AtomicLong clock = new AtomicLong();
    private final CrateTestServer[] servers = new CrateTestServer[3];
    private DefaultCrateClient client;

    @BeforeEach
    void startNodes() {
        for (int i = 0; i < servers.length; i++) {
            servers[i] = CrateTestServer.start().respond(Reply.transcript("select-simple"));
        }
    }

    @AfterEach
    void stopNodes() {
        if (client != null) {
            client.close();
        }
        for (CrateTestServer server : servers) {
            if (server != null) {
                server.close();
            }
        }
    }

    private void connect(CrateClientBuilder builder) {
        builder.nodes(servers[0].url(), servers[1].url(), servers[2].url());
        client = new DefaultCrateClient(builder.toConfig(), DefaultCrateClient.Hooks.clock(clock::get));
    }

    private void query(int times) {
        for (int i = 0; i < times; i++) {
            StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        }
    }

    @Test
    void roundRobinSpreadsQueriesEvenly() {
        connect(CrateClient.builder());
        query(9);
        for (CrateTestServer server : servers) {
            assertThat(server.requests()).hasSize(3);
        }
    }

    @Test
    void aStoppedNodeIsSkippedUntilItsRevivalTimeThenRevivedByAHeadProbeNotByAStatement() {
        connect(CrateClient.builder().maxRetries(2));
        int port = servers[1].port();
        servers[1].close();
        query(12);
        assertThat(servers[0].requests().size() + servers[2].requests().size()).isEqualTo(12);
        assertThat(client.deadNodes().isDead(client.nodes().get(1))).isTrue();

        servers[1] = CrateTestServer.start(port).respond(Reply.transcript("select-simple"));
        query(3);
        assertThat(servers[1].requests()).as("still within the 30 s of the first failure").isEmpty();

        clock.addAndGet(Duration.ofSeconds(31).toNanos());
        query(1); // starts the probe; the probe may revive the node before a second query
        assertThat(servers[1].requests()).as("the query that found the node due went elsewhere").isEmpty();
        Await.until("the HEAD / probe revives the node", WAIT,
            () -> !client.deadNodes().isDead(client.nodes().get(1)) && client.deadNodes().snapshot(client.nodes().get(1)) == null);
        assertThat(servers[1].probes()).hasSize(1).allSatisfy(probe -> assertThat(probe.uri()).isEqualTo("/"));
        query(3);
        assertThat(servers[1].requests()).as("statements go to the revived node").isNotEmpty();
    }

    @Test
    void whenEveryNodeIsDownTheErrorListsEachNodesFailure() {
        connect(CrateClient.builder().maxRetries(2));
        for (CrateTestServer server : servers) {
            server.close();
        }
        StepVerifier.create(client.sql("SELECT 1"))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateConnectionException.class);
                assertThat(error.getSuppressed()).hasSize(3);
                List<String> failedNodes = java.util.Arrays.stream(error.getSuppressed())
                    .map(s -> ((CrateException) s).node().orElseThrow().toString()).toList();
                assertThat(failedNodes).containsExactlyInAnyOrder(servers[0].url(), servers[1].url(), servers[2].url());
            })
            .verify(WAIT);
    }

    @Test
    void whenEveryNodeIsDeadTheOneClosestToRevivalIsTriedFirst() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        // configured order for three queries, then the reverse: the dead-node order must win over it
        NodeSelector selector = nodes -> calls.getAndIncrement() < 3 ? nodes
            : List.of(nodes.get(2), nodes.get(1), nodes.get(0));
        connect(CrateClient.builder().nodeSelector(selector).maxRetries(0));
        int firstPort = servers[0].port();
        for (CrateTestServer server : servers) {
            server.close();
        }
        for (int i = 0; i < 3; i++) { // node 0 fails first, then node 1, then node 2
            StepVerifier.create(client.sql("SELECT 1")).expectError(CrateConnectionException.class).verify(WAIT);
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
        }
        servers[0] = CrateTestServer.start(firstPort).respond(Reply.transcript("select-simple"));
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(servers[0].requests()).hasSize(1);
    }

    @Test
    void inOrderSelectorUsesTheFirstNodeWhileItLives() {
        connect(CrateClient.builder().nodeSelector(NodeSelector.inOrder()));
        query(4);
        assertThat(servers[0].requests()).hasSize(4);
        servers[0].close();
        query(2);
        assertThat(servers[1].requests()).hasSize(2);
    }
}
