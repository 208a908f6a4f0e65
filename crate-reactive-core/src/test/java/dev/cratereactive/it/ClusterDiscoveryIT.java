package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.Node;
import dev.cratereactive.NodeHealth;
import dev.cratereactive.Statement;
import dev.cratereactive.testing.Await;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.NodeSet;
import dev.cratereactive.testing.RealCrateDb;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Node discovery and health against a real three-node cluster ({@link NodeSet#CLUSTER}; the extension makes sure
 * every node runs before and after the class). Never stops a node.
 */
@RealCrateDb(NodeSet.CLUSTER)
@ResourceLock(CrateDb.STOPPABLE_NODE_LOCK) // the extension starts c2 before and after the class: never beside a stop
class ClusterDiscoveryIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;

    @Test
    void startedWithOneSeedTheClientFindsAndUsesEveryNode(CrateDb db) {
        List<String> urls = db.urlsWithoutCredentials();
        try (CrateClient client = db.track(db.builder(List.of(urls.get(0))).discoverNodes(Duration.ofMinutes(5)).build())) {
            Await.until("every cluster node is found from sys.nodes", TIMEOUT, () -> client.nodes().size() == urls.size());
            assertThat(client.nodes()).extracting(Node::toString).containsExactlyInAnyOrderElementsOf(urls);
            assertThat(client.nodes().get(0).toString()).as("the seed stays first").isEqualTo(urls.get(0));

            String label = "it_discovery_" + Long.toHexString(System.nanoTime());
            Flux.range(0, 3 * urls.size())
                .concatMap(i -> client.sql(Statement.of("SELECT ? AS i", i).tag(label)))
                .then()
                .block(TIMEOUT);
            Set<Object> coordinators = new HashSet<>();
            Await.until("every node coordinated some of the queries (sys.jobs_log)", TIMEOUT, () -> {
                coordinators.clear();
                client.sql("SELECT node['name'] AS name FROM sys.jobs_log WHERE stmt LIKE ?",
                        "/* crate-reactive:% " + label + " */ %")
                    .doOnNext(row -> coordinators.add(row.get("name"))).then().block(TIMEOUT);
                return coordinators.size() == urls.size();
            });
        }
    }

    @Test
    void aSeedGivenAsLocalhostIsNotListedAgainAs127001(CrateDb db) {
        List<String> urls = db.urlsWithoutCredentials();
        String seed = urls.get(0).replace("127.0.0.1", "localhost");
        assertThat(seed).as("the kit publishes 127.0.0.1 addresses").contains("localhost");
        try (CrateClient client = db.track(db.builder(List.of(seed)).discoverNodes(Duration.ofMinutes(5)).build())) {
            Await.until("the other cluster nodes are found from sys.nodes", TIMEOUT,
                () -> client.nodes().size() >= urls.size());
            assertThat(client.nodes()).extracting(Node::toString).as("each node once")
                .containsExactlyInAnyOrderElementsOf(List.of(seed, urls.get(1), urls.get(2)));
            StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(TIMEOUT);
        }
    }

    @Test
    void healthAnswersForEveryNode(CrateDb db) {
        List<String> urls = db.urlsWithoutCredentials();
        try (CrateClient client = db.track(db.builder(urls).build())) {
            List<NodeHealth> health = client.health().block(TIMEOUT);
            assertThat(health).extracting(h -> h.node().toString()).containsExactlyElementsOf(urls);
            assertThat(health).allSatisfy(node -> {
                assertThat(node.reachable()).as("%s reachable", node.node()).isTrue();
                assertThat(node.ready()).as("%s answers HEAD / with 200", node.node()).isTrue();
            });
        }
    }
}
