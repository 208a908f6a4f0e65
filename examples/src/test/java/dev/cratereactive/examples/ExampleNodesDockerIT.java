package dev.cratereactive.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cratereactive.testing.CrateTestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lookup's last step for real: no CrateDB answers, a Docker engine does, so the Quickstart runs against a
 * CrateDB container the lookup starts with Testcontainers and stops at the end. Skipped, saying why, without Docker.
 */
class ExampleNodesDockerIT {

    static final String NO_DOCKER = "no Docker engine reachable: the lookup's Testcontainers step is not exercised "
        + "(ExampleNodesTest covers it with a fake Docker)";

    @Test
    void startsCrateDbRunsTheQuickstartAndStopsTheContainer() throws Exception {
        boolean docker = CrateDbContainers.dockerAvailable();
        if (!docker) {
            System.out.println("[crate-reactive] " + NO_DOCKER);
        }
        assumeTrue(docker, NO_DOCKER);
        String nowhere = "http://127.0.0.1:" + CrateTestServer.unusedPort();
        String image = System.getenv().getOrDefault(ExampleNodes.IMAGE_VARIABLE, ExampleNodes.DEFAULT_IMAGE);
        ExampleNodes.Lookup lookup = new ExampleNodes.Lookup(null, nowhere, image, CrateDbContainers::dockerAvailable,
            CrateDbContainers::start);
        CapturedOutput output = new CapturedOutput();
        List<String> used = new ArrayList<>();

        int status = lookup.run(nodes -> {
            used.addAll(nodes);
            Quickstart.run(nodes, output.out);
        }, output.out, output.err);

        assertThat(status).isZero();
        assertThat(used).singleElement().asString().startsWith("http://");
        assertThat(output.out()).startsWith("No CrateDB at " + nowhere + ": starting " + image + " with Testcontainers... "
                + "running at " + used.get(0) + " (stopped when the example ends)\n")
            .contains("Inserted 1000 rows in one bulk request (0 failed", "  attic     250 readings")
            .endsWith("Dropped table quickstart_readings\n");
        assertThat(output.err()).isEmpty();
        assertThat(ExampleNodes.anyReachable(used, ExampleNodes.PROBE_TIMEOUT)).as("stopped at the end").isFalse();
    }
}
