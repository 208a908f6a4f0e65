package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.Await;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The node list refreshed from {@code sys.nodes.rest_url}. */
class NodeDiscoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final CrateTestServer seed = CrateTestServer.start();
    private final CrateTestServer other = CrateTestServer.start().respond(Reply.transcript("select-simple"));
    private final int unreachable = CrateTestServer.unusedPort();
    private CrateClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        seed.close();
        other.close();
    }

    private void publish(int... ports) {
        StringBuilder rows = new StringBuilder();
        for (int port : ports) {
            rows.append(rows.length() == 0 ? "" : ",").append("[\"127.0.0.1:").append(port).append("\"]");
        }
        seed.respond(request -> request.statement().equals("SELECT rest_url FROM sys.nodes")
            ? Reply.json(200, "{\"cols\":[\"rest_url\"],\"col_types\":[4],\"rows\":[" + rows
                + "],\"rowcount\":" + ports.length + ",\"duration\":1.0}")
            : Reply.transcript("select-simple"));
    }

    @Test
    void foundNodesKeepTheSchemeAndPrefixAndUnreachableOnesAreLeftOut() {
        publish(seed.port(), other.port(), unreachable);
        client = CrateClient.builder().nodes("http://127.0.0.1:" + seed.port() + "/crate")
            .connectTimeout(Duration.ofSeconds(1))
            .discoverNodes(Duration.ofHours(1))
            .build();
        Await.until("the other node is found", WAIT, () -> client.nodes().size() == 2);
        assertThat(client.nodes()).extracting(Node::toString)
            .containsExactly("http://127.0.0.1:" + seed.port() + "/crate", "http://127.0.0.1:" + other.port() + "/crate");

        for (int i = 0; i < 4; i++) {
            StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        }
        assertThat(other.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.uri()).isEqualTo("/crate/_sql?types"));
    }

    @Test
    void theSeedIsNeverDropped() {
        publish(other.port());
        client = CrateClient.builder().nodes(seed.url()).discoverNodes(Duration.ofHours(1)).build();
        Await.until("the other node is found", WAIT, () -> client.nodes().size() == 2);
        assertThat(client.nodes()).extracting(Node::port).containsExactly(seed.port(), other.port());
    }

    @Test
    void aSeedGivenByNameIsNotListedAgainByItsPublishedAddress() {
        publish(seed.port(), other.port());
        client = CrateClient.builder().nodes("localhost:" + seed.port()).discoverNodes(Duration.ofHours(1)).build();
        Await.until("the other node is found", WAIT, () -> client.nodes().size() >= 2);
        assertThat(client.nodes()).extracting(Node::toString)
            .containsExactly("http://localhost:" + seed.port(), "http://127.0.0.1:" + other.port());
    }

    @Test
    void discoveryIsOffByDefault() {
        publish(seed.port(), other.port());
        client = CrateClient.builder().nodes(seed.url()).build();
        StepVerifier.create(client.sql("SELECT 1")).expectNextCount(1).expectComplete().verify(WAIT);
        assertThat(seed.requests()).extracting(r -> r.statement()).containsExactly("SELECT 1");
        assertThat(client.nodes()).hasSize(1);
    }
}
