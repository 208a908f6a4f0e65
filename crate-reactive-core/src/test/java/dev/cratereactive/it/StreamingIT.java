package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.RealCrateDb;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.StepVerifier;

/**
 * A large result from a real CrateDB, consumed as a {@code Flux} under limited demand: every row arrives in order,
 * the client never asks for more than the subscriber does, a paused subscriber does not trip the read timeout, and
 * cancelling mid-stream leaves the client usable.
 */
@RealCrateDb
@Timeout(value = 3, unit = TimeUnit.MINUTES) // above the 60 s default: a shared server may be slow with 200,000 rows
class StreamingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final long ROWS = 200_000;
    private static final String QUERY = "SELECT * FROM generate_series(1, 200000)";

    @Test
    void twoHundredThousandRowsStreamInOrderUnderLimitedDemand(CrateClient client) {
        AtomicLong largestRequest = new AtomicLong();
        AtomicLong expected = new AtomicLong(1);
        AtomicLong outOfOrder = new AtomicLong();

        StepVerifier.create(client.sql(QUERY)
                .doOnRequest(n -> largestRequest.accumulateAndGet(n, Math::max))
                .limitRate(256)
                .map(row -> row.get(0, Long.class))
                .doOnNext(x -> {
                    if (x != expected.getAndIncrement()) {
                        outOfOrder.incrementAndGet();
                    }
                })
                .reduce(new long[2], (acc, x) -> {
                    acc[0]++;
                    acc[1] += x;
                    return acc;
                }))
            .assertNext(acc -> {
                assertThat(acc[0]).as("rows").isEqualTo(ROWS);
                assertThat(acc[1]).as("sum of 1..200000").isEqualTo(ROWS * (ROWS + 1) / 2);
            })
            .expectComplete()
            .verify(TIMEOUT);
        assertThat(outOfOrder).as("rows out of order").hasValue(0);
        assertThat(largestRequest).as("largest demand signalled to the client").hasValue(256);
    }

    /** The read timeout counts only time the client waits for bytes it asked for, not a subscriber's pause. */
    @Test
    void pausedSubscriberDoesNotTripTheReadTimeout(CrateDb db) {
        CrateClient client = db.client(builder -> builder.timeout(Duration.ofSeconds(3)));
        StepVerifier.create(client.sql(QUERY).map(row -> row.get(0, Long.class)), 10)
            .expectNext(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L)
            .expectNoEvent(Duration.ofSeconds(7))
            .thenRequest(Long.MAX_VALUE)
            .expectNextCount(ROWS - 10)
            .expectComplete()
            .verify(TIMEOUT);
    }

    @Test
    void cancellingMidStreamLeavesTheClientUsable(CrateDb db) {
        CrateClient client = db.client(builder -> builder.maxConnections(1));
        for (int round = 0; round < 3; round++) {
            StepVerifier.create(client.sql(QUERY).take(10).map(row -> row.get(0, Long.class)))
                .expectNext(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L)
                .expectComplete()
                .verify(TIMEOUT);
        }
        StepVerifier.create(client.sql("SELECT count(*) AS n FROM generate_series(1, 1000)").map(row -> row.get("n", Long.class)))
            .expectNext(1000L)
            .expectComplete()
            .verify(TIMEOUT);
    }
}
