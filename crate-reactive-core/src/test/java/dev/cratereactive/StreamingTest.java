package dev.cratereactive;

import dev.cratereactive.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.GeneratedResult;
import dev.cratereactive.testing.Reply;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Rows arrive as the body streams in; demand decides how much is read; cancellation frees the connection. */
class StreamingTest extends SingleNodeTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long MILLION = 1_000_000;
    /*
     * Time passing without demand is what these tests are about, not a way to wait for something: a client that
     * kept reading would let the server produce far more in this time, and a read timeout would fire.
     */
    private static final Duration NO_DEMAND = Duration.ofMillis(500);
    /* Long enough that a busy CI machine's pauses while the rows stream do not reach it (200 ms did, rarely). */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration LONGER_THAN_THE_READ_TIMEOUT = READ_TIMEOUT.multipliedBy(2);

    @Test
    void aMillionRowsStreamInOrderWithCorrectValues() {
        AtomicLong produced = new AtomicLong();
        server.respond(Reply.streamed(GeneratedResult.body(MILLION, 2_000, produced)));
        client = CrateClient.builder().nodes(server.url()).build();
        AtomicLong expected = new AtomicLong();
        StepVerifier.create(client.sql("SELECT * FROM big"))
            .thenConsumeWhile(row -> {
                long i = expected.getAndIncrement();
                return row.get(0).equals(i) && row.get(1).equals(GeneratedResult.name(i)) && row.get(2).equals(i * 0.5);
            })
            .expectComplete()
            .verify(Duration.ofMinutes(2));
        assertThat(expected.get()).isEqualTo(MILLION);
    }

    @Test
    void withoutDemandTheClientStopsReadingAndTheServerStopsProducing() {
        AtomicLong produced = new AtomicLong();
        server.respond(Reply.streamed(GeneratedResult.body(MILLION, 1_000, produced)));
        client = CrateClient.builder().nodes(server.url()).build();
        StepVerifier.create(client.sql("SELECT * FROM big"), 10)
            .expectNextCount(10)
            .thenAwait(NO_DEMAND)
            .then(() -> assertThat(produced.get())
                .as("only socket buffers' worth of rows may be in flight while nobody asks for more")
                .isLessThan(MILLION / 4))
            .thenCancel()
            .verify(WAIT);
        awaitNoOpenConnections();
    }

    @Test
    void cancellationMidStreamClosesTheConnectionAndLeaksNothing() {
        AtomicLong produced = new AtomicLong();
        server.respond(Reply.streamed(GeneratedResult.body(MILLION, 1_000, produced)));
        client = CrateClient.builder().nodes(server.url()).build();
        StepVerifier.create(client.sql("SELECT * FROM big").take(5_000))
            .expectNextCount(5_000)
            .expectComplete()
            .verify(WAIT);
        awaitNoOpenConnections();
        assertThat(produced.get()).isLessThan(MILLION);
    }

    @Test
    void aSlowConsumerIsNotTimedOut() {
        AtomicLong produced = new AtomicLong();
        server.respond(Reply.streamed(GeneratedResult.body(200_000, 1_000, produced)));
        client = CrateClient.builder().nodes(server.url()).timeout(READ_TIMEOUT).build();
        StepVerifier.create(client.sql("SELECT * FROM big"), 1)
            .expectNextCount(1)
            .thenAwait(LONGER_THAN_THE_READ_TIMEOUT)
            .thenRequest(Long.MAX_VALUE)
            .expectNextCount(199_999)
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void aSlowConsumerOfAFullyReceivedResponseIsNotTimedOut() {
        AtomicLong produced = new AtomicLong();
        String body = String.join("", GeneratedResult.body(50_000, 1_000, produced)
            .map(bytes -> new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).collectList().block());
        server.respond(Reply.json(200, body));
        client = CrateClient.builder().nodes(server.url()).timeout(READ_TIMEOUT).build();
        StepVerifier.create(client.sql("SELECT * FROM big"), 1)
            .expectNextCount(1)
            .thenAwait(LONGER_THAN_THE_READ_TIMEOUT)
            .thenRequest(Long.MAX_VALUE)
            .expectNextCount(49_999)
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void theConnectionIsReusedAfterAFullyReadStream() {
        AtomicLong produced = new AtomicLong();
        server.respond(Reply.streamed(GeneratedResult.body(10_000, 1_000, produced)));
        client = CrateClient.builder().nodes(server.url()).build();
        for (int i = 0; i < 3; i++) {
            StepVerifier.create(client.sql("SELECT * FROM big")).expectNextCount(10_000).expectComplete().verify(WAIT);
            awaitPoolRelease(); // the pool takes the connection back just after the subscriber saw completion
        }
        assertThat(server.connectionsOpened()).isEqualTo(1);
    }

    private void awaitNoOpenConnections() {
        Await.until("no open connection on the server", WAIT, () -> server.openConnections() == 0);
        assertThat(server.openConnections()).as("the half-read connection is closed, not pooled").isZero();
    }

}
