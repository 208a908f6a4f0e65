package dev.cratereactive.examples;

import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.cratedb.CrateDBContainer;
import org.testcontainers.utility.DockerImageName;

/** The Testcontainers half of the examples' lookup: is there a Docker engine, and a CrateDB container in it. */
final class CrateDbContainers {

    private CrateDbContainers() {
    }

    /** @return whether Testcontainers finds a Docker engine it can talk to (not merely a {@code docker} client) */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Starts a single-node CrateDB and waits until its HTTP endpoint answers.
     *
     * @param image the image, e.g. {@code crate:6.4.3}; any image name is accepted as a CrateDB image
     * @return the running CrateDB, at {@code http://<docker host>:<mapped port>}; closing it stops the container
     * @throws RuntimeException from Testcontainers when the image cannot be pulled or the container does not start
     */
    static FoundCrateDb start(String image) {
        CrateDBContainer container = new CrateDBContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("crate"))
            .withEnv("CRATE_HEAP_SIZE", "1g");
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop(); // removes what was created before the failure
            throw e;
        }
        String url = "http://" + container.getHost() + ":" + container.getMappedPort(4200);
        return FoundCrateDb.started(List.of(url), image, container::stop);
    }
}
