package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.Node;
import dev.cratereactive.NodeHealth;
import dev.cratereactive.Statement;
import dev.cratereactive.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Node discovery and health against the kit's three-node cluster ({@value #CLUSTER_VARIABLE}). Never stops a
 * node; makes sure c2 is up first, since other tests may have stopped it.
 */
class ClusterDiscoveryIT {

    static final String CLUSTER_VARIABLE = "CRATEDB_CLUSTER_URLS";
    static final String START_NODE_VARIABLE = "CRATEDB_START_NODE_COMMAND";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static List<String> urls;

    @BeforeAll
    static void cluster() {
        String value = System.getenv(CLUSTER_VARIABLE);
        Assumptions.assumeTrue(value != null && !value.isBlank(), "set " + CLUSTER_VARIABLE
            + " to the HTTP URLs of one CrateDB cluster's nodes (the kit's 'cluster' set) to test discovery");
        urls = Arrays.stream(value.split(",")).map(String::strip).toList();
        Assumptions.assumeTrue(urls.size() >= 2, CLUSTER_VARIABLE + " lists one node; discovery needs a cluster");
        String start = System.getenv(START_NODE_VARIABLE);
        if (start != null && !start.isBlank()) {
            run(start); // a no-op when the node answers
        }
    }

    @Test
    void startedWithOneSeedTheClientFindsAndUsesEveryNode() {
        try (CrateClient client = CrateClient.builder().nodes(urls.get(0)).discoverNodes(Duration.ofMinutes(5)).build()) {
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
    void healthAnswersForEveryNode() {
        try (CrateClient client = CrateClient.builder().nodes(urls).build()) {
            List<NodeHealth> health = client.health().block(TIMEOUT);
            assertThat(health).extracting(h -> h.node().toString()).containsExactlyElementsOf(urls);
            assertThat(health).allSatisfy(node -> {
                assertThat(node.reachable()).as("%s reachable", node.node()).isTrue();
                assertThat(node.ready()).as("%s answers HEAD / with 200", node.node()).isTrue();
            });
        }
    }

    private static void run(String command) {
        try {
            Process process = new ProcessBuilder("sh", "-c", command).inheritIO().start();
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("command failed: " + command);
            }
        } catch (IOException e) {
            throw new IllegalStateException("command failed: " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running: " + command, e);
        }
    }
}
