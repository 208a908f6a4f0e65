package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.Node;
import dev.cratereactive.internal.DefaultCrateClient;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.RealCrateDb;
import dev.cratereactive.testing.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Node selection and failover against one real node: relays ({@link TcpProxy}) give it several addresses, and
 * closing a relay makes "a node" go away mid-run. A real three-node cluster with a node stopped mid-run is
 * {@link ClusterIT}'s.
 */
@RealCrateDb
class RoutingIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;

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

    private static TcpProxy relayToFirstNode(CrateDb db) {
        return TcpProxy.start(db.uri(0).getHost(), db.port(0));
    }

    private static void assumePlainHttp(CrateDb db) {
        Assumptions.assumeFalse(db.isSecure(), "relays on 127.0.0.1 cannot pass TLS host name verification; needs http://");
    }
}
