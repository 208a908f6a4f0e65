package dev.cratereactive.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.Responder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The examples' lookup, branch by branch, with in-process servers for CrateDB and a fake for Docker: whether Docker
 * is reachable is answered by {@link FakeDocker}, and "starting a container" starts a {@link CrateTestServer}.
 */
class ExampleNodesTest {

    private static final String IMAGE = ExampleNodes.DEFAULT_IMAGE;

    private final String nowhere = "http://127.0.0.1:" + CrateTestServer.unusedPort();
    private final FakeDocker docker = new FakeDocker();
    private final CapturedOutput output = new CapturedOutput();
    private final List<List<String>> ran = new ArrayList<>();
    private final ExampleNodes.Example recordNodes = ran::add;

    @AfterEach
    void stopServers() {
        docker.close();
    }

    @Test
    void aGivenUrlIsUsedAsGivenWithoutAskingDocker() throws Exception {
        try (CrateTestServer crate = CrateTestServer.start()) {
            ExampleNodes.Lookup lookup = docker.lookup(crate.url() + " , " + nowhere, nowhere);

            int status = lookup.run(recordNodes, output.out, output.err);

            assertThat(status).isZero();
            assertThat(ran).containsExactly(List.of(crate.url(), nowhere));
            assertThat(docker.asked).hasValue(0);
            assertThat(docker.started).isEmpty();
            assertThat(output.out()).isEmpty();
            assertThat(output.err()).isEmpty();
        }
    }

    @Test
    void aGivenUrlThatDoesNotAnswerEndsTheLookupEvenWithDocker() throws Exception {
        docker.available = true;
        ExampleNodes.Lookup lookup = docker.lookup(nowhere, nowhere);

        int status = lookup.run(recordNodes, output.out, output.err);

        assertThat(status).isEqualTo(ExampleNodes.NOT_FOUND_STATUS).isEqualTo(2);
        assertThat(ran).isEmpty();
        assertThat(docker.asked).hasValue(0);
        assertThat(docker.started).isEmpty();
        assertThat(output.err()).isEqualTo("No CrateDB found at " + nowhere + ".\n"
            + "Start one with:   docker run --rm -p 4200:4200 crate:6.4.3\n"
            + "or point the examples at yours:   CRATEDB_URL=http://host:4200 (comma-separate several nodes)\n");
        assertThat(output.out()).isEmpty();
    }

    @Test
    void theLocalNodeIsUsedWhenItAnswers() throws Exception {
        try (CrateTestServer crate = CrateTestServer.start()) {
            docker.available = true;
            ExampleNodes.Lookup lookup = docker.lookup(null, crate.url());

            int status = lookup.run(recordNodes, output.out, output.err);

            assertThat(status).isZero();
            assertThat(ran).containsExactly(List.of(crate.url()));
            assertThat(docker.asked).hasValue(0);
            assertThat(docker.started).isEmpty();
            assertThat(output.out()).isEmpty();
        }
    }

    @Test
    void withNeitherANodeNorDockerItSaysBothWaysOutAndExitsWithStatus2() throws Exception {
        ExampleNodes.Lookup lookup = docker.lookup(null, nowhere);

        int status = lookup.run(recordNodes, output.out, output.err);

        assertThat(status).isEqualTo(2);
        assertThat(ran).isEmpty();
        assertThat(docker.asked).hasValue(1);
        assertThat(output.err()).isEqualTo(
            "No CrateDB found at " + nowhere + ", and no Docker engine is reachable to start one.\n"
            + "Start one with:   docker run --rm -p 4200:4200 crate:6.4.3\n"
            + "or point the examples at yours:   CRATEDB_URL=http://host:4200 (comma-separate several nodes)\n");
        assertThat(output.out()).isEmpty();
    }

    @Test
    void withDockerItStartsCrateDbSaysSoInOneLineAndStopsItAtTheEnd() throws Exception {
        docker.available = true;
        ExampleNodes.Lookup lookup = docker.lookup(null, nowhere);
        List<Boolean> answeredWhileRunning = new ArrayList<>();

        int status = lookup.run(nodes -> {
            ran.add(nodes);
            answeredWhileRunning.add(ExampleNodes.anyReachable(nodes, ExampleNodes.PROBE_TIMEOUT));
        }, output.out, output.err);

        assertThat(status).isZero();
        assertThat(docker.started).singleElement().satisfies(started -> {
            assertThat(started.image).isEqualTo(IMAGE);
            assertThat(started.stops).hasValue(1);
        });
        String url = docker.started.get(0).server.url();
        assertThat(ran).containsExactly(List.of(url));
        assertThat(answeredWhileRunning).containsExactly(true);
        assertThat(output.out()).isEqualTo("No CrateDB at " + nowhere + ": starting crate:6.4.3 with Testcontainers... "
            + "running at " + url + " (stopped when the example ends)\n");
        assertThat(output.err()).isEmpty();
    }

    @Test
    void theStartedCrateDbIsStoppedWhenTheExampleFails() {
        docker.available = true;
        ExampleNodes.Lookup lookup = docker.lookup(null, nowhere);

        assertThatThrownBy(() -> lookup.run(nodes -> {
            throw new IllegalStateException("example failed");
        }, output.out, output.err)).hasMessage("example failed");

        assertThat(docker.started).singleElement().satisfies(started -> assertThat(started.stops).hasValue(1));
    }

    @Test
    void theQuickstartRunsAgainstTheCrateDbItStarted() throws Exception {
        docker.available = true;
        docker.script = QuickstartTest::answerQuickstart;
        ExampleNodes.Lookup lookup = docker.lookup(null, nowhere);

        int status = lookup.run(nodes -> Quickstart.run(nodes, output.out), output.out, output.err);

        assertThat(status).isZero();
        String url = docker.started.get(0).server.url();
        assertThat(output.out()).startsWith("No CrateDB at " + nowhere + ": starting crate:6.4.3 with Testcontainers... "
                + "running at " + url + " (stopped when the example ends)\nConnecting to " + url + "\n")
            .contains("Inserted 1000 rows in one bulk request")
            .endsWith("Dropped table quickstart_readings\n");
        assertThat(docker.started.get(0).stops).hasValue(1);
    }

    @Test
    void aContainerThatDoesNotStartIsReportedWithItsCauseAndStatus2() throws Exception {
        docker.available = true;
        docker.failure = new IllegalStateException("pull access denied for crate");
        ExampleNodes.Lookup lookup = docker.lookup(null, nowhere);

        int status = lookup.run(recordNodes, output.out, output.err);

        assertThat(status).isEqualTo(2);
        assertThat(ran).isEmpty();
        assertThat(output.out()).isEqualTo("No CrateDB at " + nowhere + ": starting crate:6.4.3 with Testcontainers... "
            + "failed.\n");
        assertThat(output.err()).startsWith("No CrateDB found at " + nowhere + ", and the container crate:6.4.3 did not"
                + " start: java.lang.IllegalStateException: pull access denied for crate\n")
            .contains("docker run --rm -p 4200:4200 crate:6.4.3", "CRATEDB_URL=http://host:4200");
    }

    @Test
    void neverPrintsCredentialsFromTheNodeUrl() throws Exception {
        ExampleNodes.Lookup lookup = docker.lookup("http://crate:s3cret@127.0.0.1:" + CrateTestServer.unusedPort(), nowhere);

        lookup.run(recordNodes, output.out, output.err);

        assertThat(output.err()).contains("http://***@127.0.0.1:").doesNotContain("s3cret");
    }

    @Test
    void closingWhatWasStartedStopsItOnce() {
        AtomicInteger stops = new AtomicInteger();
        FoundCrateDb started = FoundCrateDb.started(List.of("http://127.0.0.1:1"), IMAGE, stops::incrementAndGet);
        FoundCrateDb running = FoundCrateDb.running(List.of("http://127.0.0.1:1"));

        started.close();
        started.close();
        running.close();

        assertThat(stops).hasValue(1);
        assertThat(started.startedImage()).contains(IMAGE);
        assertThat(running.startedImage()).isEmpty();
    }

    /** Docker as the lookup sees it: whether it is reachable, and containers that are in-process servers. */
    private static final class FakeDocker implements AutoCloseable {
        boolean available;
        RuntimeException failure;
        Responder script;
        final AtomicInteger asked = new AtomicInteger();
        final List<Started> started = new ArrayList<>();

        ExampleNodes.Lookup lookup(String configured, String localNode) {
            BooleanSupplier check = () -> {
                asked.incrementAndGet();
                return available;
            };
            return new ExampleNodes.Lookup(configured, localNode, IMAGE, check, image -> {
                if (failure != null) {
                    throw failure;
                }
                Started container = new Started(image, CrateTestServer.start());
                if (script != null) {
                    container.server.respond(script);
                }
                started.add(container);
                return FoundCrateDb.started(List.of(container.server.url()), image, () -> {
                    container.stops.incrementAndGet();
                    container.server.close();
                });
            });
        }

        @Override
        public void close() {
            started.forEach(container -> container.server.close());
        }
    }

    private record Started(String image, CrateTestServer server, AtomicInteger stops) {
        Started(String image, CrateTestServer server) {
            this(image, server, new AtomicInteger());
        }
    }
}
