package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.Await;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The code of README.md's "In production" section, run against an in-process node. Keep the two in step. */
class InProductionExamplesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final CrateTestServer node = CrateTestServer.start();

    {
        node.respond(request -> request.statement().equals("SELECT rest_url FROM sys.nodes")
            ? Reply.json(200, "{\"cols\":[\"rest_url\"],\"col_types\":[4],\"rows\":[[\"127.0.0.1:" + node.port()
                + "\"]],\"rowcount\":1,\"duration\":1.0}")
            : Reply.json(200, "{\"cols\":[\"region\",\"total\"],\"col_types\":[4,10],\"rows\":[[\"north\",42]],"
                + "\"rowcount\":1,\"duration\":1.0}"));
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    @Test
    void productionOptionsTagsDeadlinesAndHealth() {
        String url = node.url();
        MeterRegistry meterRegistry = new SimpleMeterRegistry();
        TestObservationRegistry testObservations = TestObservationRegistry.create();
        ObservationRegistry observationRegistry = testObservations;
        List<String> printed = new CopyOnWriteArrayList<>();

        // README: production
        CrateClient client = CrateClient.builder()
            .nodes(url)
            .defaultTimeout(Duration.ofSeconds(30))     // deadline per call: acquire, connect, retries, backoff, reading
            .cancelOnServer(true)                       // the default: a cancel or a passed deadline KILLs the job
            .meterRegistry(meterRegistry)               // Micrometer meters (optional dependency)
            .observationRegistry(observationRegistry)   // cratedb.client.call with a child per attempt
            .discoverNodes(Duration.ofMinutes(5))       // refresh the node list from sys.nodes
            .build();

        Flux<Row> report = client.sql(Statement.of("SELECT region, sum(amount) AS total FROM sales GROUP BY region")
            .tag("daily-report")                        // visible in sys.jobs and sys.jobs_log
            .timeout(Duration.ofSeconds(5)));           // this call's own deadline
        // README: end

        try (client) {
            StepVerifier.create(report.map(row -> row.get("region", String.class))).expectNext("north")
                .expectComplete().verify(WAIT);

            // README: health
            client.health().subscribe(nodes -> nodes.forEach(health -> printed.add(health.node()
                + " reachable=" + health.reachable() + " ready=" + health.ready()
                + " dead until " + health.deadUntil().map(Object::toString).orElse("-"))));
            // README: end
            Await.until("health printed", WAIT, () -> !printed.isEmpty());
            Await.until("the discovery's sys.nodes query ended", WAIT, () -> meterRegistry.find("cratedb.client.calls")
                .tags("outcome", "success").timers().stream().mapToLong(t -> t.count()).sum() == 2);
        }
        assertThat(printed).containsExactly(url + " reachable=true ready=true dead until -");
        assertThat(node.requests()).filteredOn(r -> r.statement().startsWith("SELECT region")).singleElement()
            .satisfies(r -> assertThat(r.taggedStatement())
                .matches("/\\* crate-reactive:[0-9a-f]{32} daily-report \\*/ SELECT region.*"));
        // the query and the discovery's sys.nodes query
        assertThat(meterRegistry.get("cratedb.client.calls").tags("outcome", "success").timer().count()).isEqualTo(2);
        TestObservationRegistryAssert.assertThat(testObservations)
            .hasNumberOfObservationsWithNameEqualTo("cratedb.client.call", 2)
            .hasNumberOfObservationsWithNameEqualTo("cratedb.client.attempt", 2);
    }
}
