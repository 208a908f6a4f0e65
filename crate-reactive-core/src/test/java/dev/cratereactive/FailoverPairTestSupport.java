package dev.cratereactive;

import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * Two in-process nodes: the first answers as a proxy in front of a dead node (HTTP 503), the second is up (its
 * replies set by the test). The test builds {@link #client}; both nodes and the client are closed after it.
 */
abstract class FailoverPairTestSupport {

    static final Duration WAIT = Duration.ofSeconds(10);

    final CrateTestServer failing = CrateTestServer.start().respond(Reply.proxyUnavailable());
    final CrateTestServer working = CrateTestServer.start();
    CrateClient client;

    @AfterEach
    void closeClientAndNodes() {
        if (client != null) {
            client.close();
        }
        failing.close();
        working.close();
    }

    /** @return a builder with the failing node first, then the working one, tried in that order */
    CrateClientBuilder failingThenWorking() {
        return CrateClient.builder().nodes(failing.url(), working.url()).nodeSelector(NodeSelector.inOrder());
    }
}
