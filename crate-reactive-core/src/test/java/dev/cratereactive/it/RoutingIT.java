package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.Node;
import dev.cratereactive.internal.DefaultCrateClient;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.RealCrateDb;
import dev.cratereactive.testing.TcpProxy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Node selection and failover against a real CrateDB. A single real node is enough for most of it: relays
 * ({@link TcpProxy}) give it several addresses, and closing a relay makes "a node" go away mid-run. With several
 * nodes in {@code CRATEDB_URL}, round-robin is also checked across the cluster (which node coordinated each query
 * comes from {@code sys.jobs}); stopping a real cluster node runs only with {@value #STOP_NODE_VARIABLE}.
 */
@RealCrateDb
class RoutingIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;
    /** A shell command that stops one node of the configured cluster (e.g. {@code docker stop crate2}). */
    static final String STOP_NODE_VARIABLE = "CRATEDB_STOP_NODE_COMMAND";
    /** A shell command that starts it again afterwards (optional). */
    static final String START_NODE_VARIABLE = "CRATEDB_START_NODE_COMMAND";

    @Test
    void roundRobinAlternatesBetweenTwoAddressesOfTheNode(CrateDb db) {
        assumePlainHttp(db);
        try (TcpProxy first = relayToFirstNode(db); TcpProxy second = relayToFirstNode(db)) {
            CrateClient client = db.track(db.builder(List.of(first.url(), second.url())).build());
            StepVerifier.create(Flux.range(1, 20).concatMap(i -> client.sql("SELECT ? AS i", i).map(row -> row.get("i"))))
                .expectNextCount(20)
                .expectComplete()
                .verify(TIMEOUT);
            assertThat(first.requests()).as("requests through the first address").isEqualTo(10);
            assertThat(second.requests()).as("requests through the second address").isEqualTo(10);
        }
    }

    @Test
    void roundRobinSpreadsQueriesOverTheClusterNodes(CrateDb db) {
        Assumptions.assumeTrue(db.isMultiNode(), "CRATEDB_URL lists one node; list several nodes of one cluster"
            + " (CRATEDB_URL=http://a:4200,http://b:4200) to check round-robin across a cluster");
        List<String> names = new ArrayList<>();
        for (String url : db.urlsWithoutCredentials()) {
            names.add(coordinatorOf(db.track(db.builder(List.of(url)).build()), db));
        }
        Assumptions.assumeTrue(new HashSet<>(names).size() == names.size(),
            "the URLs in CRATEDB_URL do not reach distinct nodes (a load balancer?): " + names);

        CrateClient client = db.client();
        List<String> coordinators = new ArrayList<>();
        for (int i = 0; i < 2 * names.size(); i++) {
            coordinators.add(coordinatorOf(client, db));
        }
        List<String> expected = new ArrayList<>(names);
        expected.addAll(names);
        assertThat(coordinators).as("coordinating node of each query, in order").isEqualTo(expected);
    }

    @Test
    void deadAddressIsSkippedAndMarkedDead(CrateDb db) {
        String dead = "http://127.0.0.1:" + CrateTestServer.unusedPort();
        List<String> nodes = new ArrayList<>(db.urlsWithoutCredentials());
        nodes.add(dead);
        DefaultCrateClient client = (DefaultCrateClient) db.track(db.builder(nodes).build());

        StepVerifier.create(Flux.range(1, 10).concatMap(i -> client.sql("SELECT ? AS i", i).map(row -> row.get("i"))))
            .expectNext(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
            .expectComplete()
            .verify(TIMEOUT);
        Node deadNode = client.nodes().get(nodes.size() - 1);
        assertThat(client.deadNodes().isDead(deadNode)).as("%s marked dead", deadNode).isTrue();
        assertThat(client.nodes().subList(0, nodes.size() - 1)).noneMatch(client.deadNodes()::isDead);
    }

    @Test
    void nodeThatGoesAwayMidRunIsMarkedDeadAndQueriesContinue(CrateDb db) {
        assumePlainHttp(db);
        String table = db.newTable("it_failover");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY) WITH (number_of_replicas = 0)");
        TcpProxy doomed = relayToFirstNode(db);
        try {
            DefaultCrateClient client = (DefaultCrateClient) db.track(
                db.builder(List.of(doomed.url(), db.urlsWithoutCredentials().get(0))).build());
            // The relay closes just before query 11 is sent, after query 10 completed: no row is ever half-delivered.
            StepVerifier.create(Flux.range(1, 30).concatMap(i -> Flux.defer(() -> {
                    if (i == 11) {
                        doomed.close();
                    }
                    return client.sql("SELECT ? AS i", i).map(row -> (Integer) row.get("i"));
                })))
                .expectNextSequence(IntStream.rangeClosed(1, 30).boxed().toList())
                .expectComplete()
                .verify(TIMEOUT);
            assertThat(doomed.requests()).as("requests the node served before it went away").isGreaterThanOrEqualTo(5);
            Node gone = client.nodes().get(0);
            assertThat(client.deadNodes().isDead(gone)).as("%s marked dead", gone).isTrue();

            StepVerifier.create(client.execute("INSERT INTO " + table + " (id) VALUES (?)", 1))
                .assertNext(result -> assertThat(result.rowCount()).isEqualTo(1))
                .expectComplete()
                .verify(TIMEOUT);
        } finally {
            doomed.close();
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES) // stopping (and restarting) a node takes its time
    void clusterNodeStoppedMidRunIsMarkedDeadAndQueriesContinue(CrateDb db) throws Exception {
        String stop = System.getenv(STOP_NODE_VARIABLE);
        Assumptions.assumeTrue(db.isMultiNode() && stop != null && !stop.isBlank(), "stopping a real cluster node"
            + " needs several nodes in CRATEDB_URL and " + STOP_NODE_VARIABLE + " (optionally " + START_NODE_VARIABLE + ")");
        DefaultCrateClient client = (DefaultCrateClient) db.client(builder -> builder.backoffFactor(Duration.ofMillis(100)));
        try {
            StepVerifier.create(Flux.range(1, 20).concatMap(i -> client.sql("SELECT ? AS i", i).map(row -> row.get("i"))))
                .expectNextCount(20)
                .expectComplete()
                .verify(TIMEOUT);
            run(stop);
            StepVerifier.create(Flux.range(21, 40).concatMap(i -> client.sql("SELECT ? AS i", i).map(row -> (Integer) row.get("i"))))
                .expectNextSequence(IntStream.rangeClosed(21, 60).boxed().toList())
                .expectComplete()
                .verify(Duration.ofMinutes(3));
            assertThat(client.nodes()).anyMatch(client.deadNodes()::isDead);
        } finally {
            String start = System.getenv(START_NODE_VARIABLE);
            if (start != null && !start.isBlank()) {
                run(start);
            }
        }
    }

    /** @return the name of the node that coordinated this very query, from its own row in {@code sys.jobs} */
    private static String coordinatorOf(CrateClient client, CrateDb db) {
        String marker = db.uniqueName("rr_probe");
        return (String) client.sql("SELECT node['name'] AS coordinator FROM sys.jobs WHERE stmt LIKE '%" + marker + "%'")
            .single()
            .block(TIMEOUT)
            .get("coordinator");
    }

    private static TcpProxy relayToFirstNode(CrateDb db) {
        return TcpProxy.start(db.uri(0).getHost(), db.port(0));
    }

    private static void assumePlainHttp(CrateDb db) {
        Assumptions.assumeFalse(db.isSecure(), "relays on 127.0.0.1 cannot pass TLS host name verification; needs http://");
    }

    private static void run(String command) {
        try {
            Process process = new ProcessBuilder("sh", "-c", command).inheritIO().start();
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
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
