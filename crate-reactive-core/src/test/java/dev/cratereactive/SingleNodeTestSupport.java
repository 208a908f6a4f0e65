package dev.cratereactive;

import dev.cratereactive.testing.CrateTestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** One in-process node per test and the client connected to it, both closed after the test. */
abstract class SingleNodeTestSupport {

    static final Duration WAIT = Duration.ofSeconds(10);

    final CrateTestServer server = CrateTestServer.start();
    CrateClient client;

    @AfterEach
    void closeClientAndServer() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    /**
     * @param builder options; the node is set here
     * @return the client, closed after the test
     */
    CrateClient connect(CrateClientBuilder builder) {
        client = builder.nodes(server.url()).build();
        return client;
    }

    /** Waits (at most {@link #WAIT}) until the client's pool has every connection back. */
    void awaitPoolRelease() {
        dev.cratereactive.internal.transport.Transport transport =
            ((dev.cratereactive.internal.DefaultCrateClient) client).transport();
        dev.cratereactive.testing.Await.until("the pool has every connection back, ready to lend", WAIT,
            transport::allConnectionsIdle);
        org.assertj.core.api.Assertions.assertThat(transport.acquiredConnections()).as("connections in use").isZero();
    }
}
