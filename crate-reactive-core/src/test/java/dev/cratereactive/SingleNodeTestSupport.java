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

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
