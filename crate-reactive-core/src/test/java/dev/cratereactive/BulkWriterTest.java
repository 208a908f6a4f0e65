package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.internal.codec.RequestEncoder;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The bulk writer against the in-process server: how it cuts batches (rows, encoded bytes, linger) and how much it
 * takes from its source. Failures and retries: {@link BulkWriterFailureTest}.
 */
class BulkWriterTest extends BulkWriterTestSupport {

    // ---- batching

    @Test
    void cutsBatchesAtMaxRowsAndGivesEveryItemOneSuccessfulOutcome() {
        server.respond(bulk(id -> OK));
        StepVerifier.create(writer().maxRows(1_000).build().write(readings(2_500)).collectList())
            .assertNext(outcomes -> {
                assertThat(outcomes).hasSize(2_500).allSatisfy(outcome -> {
                    assertThat(outcome.isSuccess()).isTrue();
                    assertThat(outcome.rowCount()).isEqualTo(1);
                    assertThat(outcome.attempts()).isEqualTo(1);
                    assertThat(outcome.error()).isEmpty();
                });
                assertThat(outcomes).extracting(o -> o.item().id()).doesNotHaveDuplicates();
            })
            .expectComplete()
            .verify(WAIT);
        assertThat(server.requests()).extracting(RecordedRequest::statement).containsOnly(INSERT);
        assertThat(requestedIds()).extracting(List::size).containsExactlyInAnyOrder(1_000, 1_000, 500);
        assertThat(requestedIds().stream().flatMap(List::stream).sorted().toList())
            .containsExactlyElementsOf(LongStream.rangeClosed(1, 2_500).boxed().toList());
    }

    @Test
    void closesABatchBeforeTheRowThatWouldTakeItsBodyOverMaxBytes() {
        server.respond(bulk(id -> OK));
        connect(CrateClient.builder().compressionThreshold(CrateClientBuilder.NO_COMPRESSION));
        // Rows of different widths, so that batches close after different counts.
        List<Reading> items = LongStream.rangeClosed(1, 200)
            .mapToObj(i -> new Reading(i, "x".repeat((int) (i * 7 % 50)))).toList();
        long maxBytes = 600;
        StepVerifier.create(writer().maxBytes(maxBytes).maxRows(1_000).build().write(Flux.fromIterable(items)).count())
            .expectNext(200L)
            .expectComplete()
            .verify(WAIT);
        List<RecordedRequest> requests = server.requests();
        assertThat(requests).hasSizeGreaterThan(5);
        List<List<Long>> batches = new ArrayList<>(requests.stream().map(BulkWriterTestSupport::ids).toList());
        for (RecordedRequest request : requests) {
            assertThat((long) request.rawBodyLength()).as("body of %s", ids(request)).isLessThanOrEqualTo(maxBytes);
            List<Long> ids = ids(request);
            long next = ids.get(ids.size() - 1) + 1; // the source is in order and maxInFlight does not reorder cuts
            if (next <= 200 && batches.stream().anyMatch(b -> b.get(0) == next)) {
                List<List<?>> withNext = new ArrayList<>();
                ids.forEach(id -> withNext.add(args(items.get((int) (id - 1)))));
                withNext.add(args(items.get((int) (next - 1))));
                assertThat((long) RequestEncoder.bulk(INSERT, withNext).length)
                    .as("the batch ending at %d closed because the next row did not fit", next - 1)
                    .isGreaterThan(maxBytes);
            }
        }
    }

    @Test
    void aRowBiggerThanMaxBytesGoesAloneInItsOwnRequest() {
        server.respond(bulk(id -> OK));
        List<Reading> items = List.of(new Reading(1, "a"), new Reading(2, "b"), new Reading(3, "x".repeat(5_000)),
            new Reading(4, "d"), new Reading(5, "e"));
        StepVerifier.create(writer().maxBytes(1_000).maxInFlight(1).build().write(Flux.fromIterable(items)).map(BulkOutcome::isSuccess))
            .expectNext(true, true, true, true, true)
            .expectComplete()
            .verify(WAIT);
        assertThat(requestedIds()).containsExactly(List.of(1L, 2L), List.of(3L), List.of(4L, 5L));
    }

    @Test
    void sendsAPartialBatchWhenLingerHasPassedSinceItsFirstItem() {
        server.respond(bulk(id -> OK));
        Duration linger = Duration.ofMillis(300);
        AtomicLong lastItemAt = new AtomicLong();
        Flux<Reading> threeThenSilence = readings(3).doOnNext(r -> lastItemAt.set(System.nanoTime()))
            .concatWith(Flux.never());
        StepVerifier.create(writer().maxRows(1_000).linger(linger).build().write(threeThenSilence))
            .expectNextCount(3)
            .thenCancel()
            .verify(WAIT);
        assertThat(requestedIds()).containsExactly(List.of(1L, 2L, 3L));
        assertThat(Duration.ofNanos(server.requests().get(0).receivedNanos() - lastItemAt.get()))
            .as("the partial batch waited for linger").isGreaterThanOrEqualTo(linger.minusMillis(5));
    }

    // ---- backpressure

    @Test
    void takesAtMostMaxInFlightTimesMaxRowsPlusMaxRowsFromTheSourceWithoutAnOutcome() {
        server.respond(request -> Reply.delayed(Duration.ofMillis(20), bulk(id -> OK).reply(request)));
        int maxRows = 100;
        int maxInFlight = 3;
        Gap gap = new Gap();
        Flux<BulkOutcome<Reading>> outcomes = writer().maxRows(maxRows).maxInFlight(maxInFlight).build()
            .write(gap.source(readings(10_000)))
            .doOnNext(gap::outcome);
        StepVerifier.create(outcomes.count()).expectNext(10_000L).expectComplete().verify(Duration.ofSeconds(60));
        assertThat(gap.max()).as("items requested from the source without an outcome, at most")
            .isLessThanOrEqualTo((long) maxInFlight * maxRows + maxRows)
            .as("a fast source fills every slot and one batch ahead").isEqualTo((long) maxInFlight * maxRows + maxRows);
        assertThat(server.requests()).hasSize(100);
    }

    @Test
    void aSlowSubscriberSlowsTheSourceToo() {
        server.respond(bulk(id -> OK));
        int maxRows = 50;
        int maxInFlight = 2;
        Gap gap = new Gap();
        Flux<BulkOutcome<Reading>> outcomes = writer().maxRows(maxRows).maxInFlight(maxInFlight).build()
            .write(gap.source(readings(2_000)))
            .doOnNext(gap::outcome)
            // one outcome at a time, each taking a moment: the server is fast, the subscriber is not
            .concatMap(outcome -> Mono.delay(Duration.ofMillis(1)).thenReturn(outcome), 1);
        StepVerifier.create(outcomes.count()).expectNext(2_000L).expectComplete().verify(Duration.ofSeconds(60));
        assertThat(gap.max()).isLessThanOrEqualTo((long) maxInFlight * maxRows + maxRows);
    }

    // ---- options

    @Test
    void buildRejectsOutOfRangeOptionsNamingTheOptionAndTheValue() {
        assertThatThrownBy(() -> writer().maxRows(0).build()).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("maxRows").hasMessageContaining("0");
        assertThatThrownBy(() -> writer().maxBytes(100L * 1024 * 1024).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("maxBytes").hasMessageContaining("104857600").hasMessageContaining("413");
        assertThatThrownBy(() -> writer().maxBytes(0).build()).hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> writer().linger(Duration.ofMillis(-1)).build()).hasMessageContaining("linger")
            .hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> writer().linger(null).build()).hasMessageContaining("linger");
        assertThatThrownBy(() -> writer().maxInFlight(0).build()).hasMessageContaining("maxInFlight")
            .hasMessageContaining("0");
        assertThatThrownBy(() -> writer().itemRetries(-1).build()).hasMessageContaining("itemRetries")
            .hasMessageContaining("-1");
        assertThat(writer().maxBytes(100L * 1024 * 1024 - 1).linger(Duration.ZERO).itemRetries(0).build()).isNotNull();
    }

}
