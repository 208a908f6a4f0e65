package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.internal.bulk.BulkWriterBuilder;
import dev.cratereactive.internal.codec.RequestEncoder;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import dev.cratereactive.testing.Responder;
import dev.cratereactive.testing.Transcript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * The bulk writer against the in-process server: how it cuts batches (rows, encoded bytes, linger), how much it
 * takes from its source, and what each failure does to the outcomes (one per item, or the {@code Flux} fails and
 * the items without one were never sent).
 */
class BulkWriterTest extends SingleNodeTestSupport {

    static final String INSERT = "INSERT INTO readings (id, v) VALUES (?, ?)";
    static final String OK = "{\"rowcount\":1}";
    static final String SHARDS_UNAVAILABLE = "{\"rowcount\":-2,\"error\":{\"code\":5002,\"message\":"
        + "\"UnavailableShardsException[[doc][readings][1] primary shard is not active]\"}}";
    /** What CrateDB 6.4.3 answered for every row of a bulk insert in flight when {@code blocks.write} landed. */
    static final String BLOCKED_ROW = "{\"rowcount\":-2,\"error\":{\"code\":4035,\"message\":"
        + "\"ClusterBlockException[index [readings] blocked by: [FORBIDDEN/8/index write (api)];]\"}}";

    record Reading(long id, String v) {
    }

    static Flux<Reading> readings(long count) {
        return Flux.range(1, (int) count).map(i -> new Reading(i, "v" + i));
    }

    BulkWriterBuilder<Reading> writer() {
        if (client == null) {
            connect(CrateClient.builder());
        }
        BulkWriterBuilder<Reading> builder = (BulkWriterBuilder<Reading>) client.<Reading>bulkWriter(INSERT,
            r -> List.of(r.id(), r.v()));
        return builder.retryBackoff(Duration.ofMillis(10));
    }

    /** Answers every bulk request row by row: {@code result} gives the JSON result of the row with that id. */
    static Responder bulk(LongFunction<String> result) {
        return request -> Reply.json(200, "{\"cols\":[],\"duration\":1.5,\"results\":["
            + ids(request).stream().map(result::apply).collect(Collectors.joining(",")) + "]}");
    }

    static List<Long> ids(RecordedRequest request) {
        return StreamSupport.stream(request.json().path("bulk_args").spliterator(), false)
            .map(args -> args.get(0)).map(JsonNode::asLong).toList();
    }

    List<List<Long>> requestedIds() {
        return server.requests().stream().map(BulkWriterTest::ids).toList();
    }

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
        List<List<Long>> batches = new ArrayList<>(requests.stream().map(BulkWriterTest::ids).toList());
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

    /** Items requested from a source and outcomes emitted; remembers the largest difference. */
    static final class Gap {
        final AtomicLong requested = new AtomicLong();
        final AtomicLong outcomes = new AtomicLong();
        final AtomicLong max = new AtomicLong();

        <T> Flux<T> source(Flux<T> source) {
            return source.doOnRequest(n -> {
                if (n == Long.MAX_VALUE) {
                    throw new AssertionError("the writer requested an unbounded number of items");
                }
                long ahead = requested.addAndGet(n) - outcomes.get();
                max.accumulateAndGet(ahead, Math::max);
            });
        }

        void outcome(Object outcome) {
            outcomes.incrementAndGet();
        }

        long max() {
            return max.get();
        }
    }

    // ---- retries and unknown outcomes

    @Test
    void rowsAnsweredWithShardsUnavailableAreResentAloneAndThenSucceed() {
        Set<Long> failedOnce = ConcurrentHashMap.newKeySet();
        server.respond(bulk(id -> (id == 2 || id == 4) && failedOnce.add(id) ? SHARDS_UNAVAILABLE : OK));
        StepVerifier.create(writer().maxRows(5).build().write(readings(5)).collectList())
            .assertNext(outcomes -> {
                assertThat(outcomes).hasSize(5).allMatch(BulkOutcome::isSuccess);
                assertThat(outcomes).filteredOn(o -> o.attempts() == 2).extracting(o -> o.item().id())
                    .containsExactlyInAnyOrder(2L, 4L);
                assertThat(outcomes).filteredOn(o -> o.attempts() == 1).hasSize(3);
            })
            .expectComplete()
            .verify(WAIT);
        assertThat(requestedIds()).containsExactly(List.of(1L, 2L, 3L, 4L, 5L), List.of(2L, 4L));
    }

    @Test
    void aRowStillUnavailableAfterItemRetriesGetsTheErrorAsItsOutcome() {
        server.respond(bulk(id -> id == 3 ? SHARDS_UNAVAILABLE : OK));
        StepVerifier.create(writer().itemRetries(2).build().write(readings(4)).filter(o -> !o.isSuccess()))
            .assertNext(outcome -> {
                assertThat(outcome.item().id()).isEqualTo(3);
                assertThat(outcome.attempts()).isEqualTo(3);
                assertThat(outcome.rowCount()).isEqualTo(BulkResult.FAILED);
                assertThat(outcome.outcomeUnknown()).isFalse();
                assertThat(outcome.error()).map(CrateError::code).contains(5002);
            })
            .expectComplete()
            .verify(WAIT);
        assertThat(requestedIds()).containsExactly(List.of(1L, 2L, 3L, 4L), List.of(3L), List.of(3L));
    }

    @Test
    void aDuplicateKeyIsTheRowsOutcomeAndNeverResent() {
        server.respond(bulk(id -> id == 2 ? "{\"rowcount\":-2,\"error\":{\"code\":4091,\"message\":"
            + "\"DuplicateKeyException[A document with the same primary key exists already]\"}}" : OK));
        StepVerifier.create(writer().build().write(readings(3)).filter(o -> !o.isSuccess()))
            .assertNext(outcome -> {
                assertThat(outcome.item().id()).isEqualTo(2);
                assertThat(outcome.attempts()).isEqualTo(1);
                assertThat(outcome.error()).map(CrateError::code).contains(4091);
            })
            .expectComplete()
            .verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aRequestWrittenWithoutAnAnswerGivesUnknownOutcomesAndIsNotResent() {
        AtomicInteger calls = new AtomicInteger();
        Responder ok = bulk(id -> OK);
        server.respond(request -> calls.incrementAndGet() == 1 ? Reply.resetBeforeResponse() : ok.reply(request));
        StepVerifier.create(writer().build().write(readings(3)).collectList())
            .assertNext(outcomes -> assertThat(outcomes).hasSize(3).allSatisfy(outcome -> {
                assertThat(outcome.outcomeUnknown()).isTrue();
                assertThat(outcome.isSuccess()).isFalse();
                assertThat(outcome.attempts()).isEqualTo(1);
                assertThat(outcome.error()).hasValueSatisfying(error ->
                    assertThat(error.message()).contains("may or may not have been written"));
            }))
            .expectComplete()
            .verify(WAIT);
        assertThat(server.requests()).as("not resent: it may have been written").hasSize(1);
    }

    @Test
    void anIdempotentWriterResendsARequestWrittenWithoutAnAnswer() {
        AtomicInteger calls = new AtomicInteger();
        Responder ok = bulk(id -> OK);
        server.respond(request -> calls.incrementAndGet() == 1 ? Reply.resetBeforeResponse() : ok.reply(request));
        StepVerifier.create(writer().idempotent(true).build().write(readings(3)).collectList())
            .assertNext(outcomes -> assertThat(outcomes).hasSize(3).allSatisfy(outcome -> {
                assertThat(outcome.isSuccess()).isTrue();
                assertThat(outcome.attempts()).isEqualTo(2);
            }))
            .expectComplete()
            .verify(WAIT);
        assertThat(requestedIds()).containsExactly(List.of(1L, 2L, 3L), List.of(1L, 2L, 3L));
    }

    @Test
    void anIdempotentWriterWhoseResendsRunOutReportsTheOutcomeAsUnknown() {
        server.respond(Reply.resetBeforeResponse());
        StepVerifier.create(writer().idempotent(true).itemRetries(1).build().write(readings(2)).collectList())
            .assertNext(outcomes -> assertThat(outcomes).hasSize(2).allSatisfy(outcome -> {
                assertThat(outcome.outcomeUnknown()).isTrue();
                assertThat(outcome.attempts()).isEqualTo(2);
            }))
            .expectComplete()
            .verify(WAIT);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aRequestThatCouldNotBeWrittenGoesToAnotherNodeAndCountsAsOneSend() {
        server.respond(bulk(id -> OK));
        String dead = "http://127.0.0.1:" + dev.cratereactive.testing.CrateTestServer.unusedPort();
        client = CrateClient.builder().nodes(dead, server.url()).nodeSelector(NodeSelector.inOrder()).build();
        StepVerifier.create(writer().build().write(readings(3)).collectList())
            .assertNext(outcomes -> assertThat(outcomes).hasSize(3).allSatisfy(outcome -> {
                assertThat(outcome.isSuccess()).isTrue();
                assertThat(outcome.attempts()).isEqualTo(1);
            }))
            .expectComplete()
            .verify(WAIT);
        assertThat(requestedIds()).containsExactly(List.of(1L, 2L, 3L));
    }

    @Test
    void anOverloadedNodeIsAskedAgainAndTheRowsAreWrittenOnce() {
        AtomicInteger calls = new AtomicInteger();
        Responder ok = bulk(id -> OK);
        server.respond(request -> calls.incrementAndGet() == 1 ? Reply.text(429, null, "") : ok.reply(request));
        connect(CrateClient.builder().maxRetries(0));
        StepVerifier.create(writer().build().write(readings(3)).collectList())
            .assertNext(outcomes -> assertThat(outcomes).hasSize(3).allMatch(BulkOutcome::isSuccess))
            .expectComplete()
            .verify(WAIT);
        assertThat(requestedIds()).containsExactly(List.of(1L, 2L, 3L), List.of(1L, 2L, 3L));
    }

    // ---- final errors

    @Test
    void aBlockLandingMidRunEmitsThatBatchsOutcomesThenFailsWithCrateBlockedException() {
        AtomicInteger calls = new AtomicInteger();
        Responder ok = bulk(id -> OK);
        Responder blocked = bulk(id -> BLOCKED_ROW);
        server.respond(request -> calls.incrementAndGet() == 1 ? ok.reply(request) : blocked.reply(request));
        Gap gap = new Gap();
        List<BulkOutcome<Reading>> seen = new ArrayList<>();
        StepVerifier.create(writer().maxRows(10).maxInFlight(1).build().write(gap.source(readings(1_000)))
                .doOnNext(seen::add))
            .expectNextCount(20)
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateBlockedException.class).hasMessageContaining("4035");
                assertThat(((CrateException) error).errorCode()).isEqualTo(4035);
                assertThat(((CrateException) error).isRetryable()).isFalse();
            })
            .verify(WAIT);
        assertThat(seen.subList(0, 10)).allMatch(BulkOutcome::isSuccess);
        assertThat(seen.subList(10, 20)).allSatisfy(outcome -> {
            assertThat(outcome.isSuccess()).isFalse();
            assertThat(outcome.outcomeUnknown()).isFalse();
            assertThat(outcome.error()).map(CrateError::code).contains(4035);
        });
        assertThat(server.requests()).as("nothing sent after the block").hasSize(2);
    }

    /** The disk flood-stage watermark's read-only block answers HTTP 200 with 4037 on every row (transcript). */
    @Test
    void aTableMadeReadOnlyFailsTheWriterWithCrateBlockedExceptionAfterThatBatchsOutcomes() {
        String readOnlyRow = new tools.jackson.databind.ObjectMapper().readTree(Transcript.load("blocked-read-only-bulk").responseBody())
            .path("results").get(0).toString();
        server.respond(bulk(id -> readOnlyRow));
        StepVerifier.create(writer().maxRows(3).maxInFlight(1).build().write(readings(100)))
            .expectNextCount(3)
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateBlockedException.class);
                assertThat(((CrateException) error).errorCode()).isEqualTo(4037);
            })
            .verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aWholeRequestRejectedAsBlockedFailsTheWriterAfterTheEarlierOutcomes() {
        AtomicInteger calls = new AtomicInteger();
        Responder ok = bulk(id -> OK);
        server.respond(request -> calls.incrementAndGet() == 1 ? ok.reply(request) : Reply.transcript("blocked-write-bulk"));
        StepVerifier.create(writer().maxRows(10).maxInFlight(1).build().write(readings(100)))
            .expectNextCount(10)
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateBlockedException.class);
                assertThat(((CrateException) error).errorCode()).isEqualTo(4007);
            })
            .verify(WAIT);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aSyntaxErrorFailsTheWriterWithoutOutcomesForRowsThatNeverRan() {
        server.respond(Reply.json(400, "{\"error\":{\"message\":\"SQLParseException[line 1:1: mismatched input]\","
            + "\"code\":4000}}"));
        StepVerifier.create(writer().build().write(readings(5)))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateSqlException.class);
                assertThat(((CrateException) error).errorCode()).isEqualTo(4000);
            })
            .verify(WAIT);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aSourceErrorFailsTheWriterAfterTheItemsTakenBeforeItWereWritten() {
        server.respond(bulk(id -> OK));
        IllegalStateException broken = new IllegalStateException("source broke");
        StepVerifier.create(writer().build().write(readings(7).concatWith(Flux.error(broken))))
            .expectNextCount(7)
            .expectErrorSatisfies(error -> assertThat(error).isSameAs(broken))
            .verify(WAIT);
        assertThat(requestedIds()).containsExactly(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L));
    }

    @Test
    void anItemThatCannotBeEncodedFailsTheWriterNamingItsPosition() {
        server.respond(bulk(id -> OK));
        connect(CrateClient.builder());
        BulkWriter<Object> writer = client.bulkWriter(INSERT, (Object o) -> List.of(1, o)).build();
        StepVerifier.create(writer.write(Flux.just("a", "b", new Object(), "d")))
            .expectNextCount(2)
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item 3").hasMessageContaining("parameter 2").hasMessageContaining("java.lang.Object"))
            .verify(WAIT);
        assertThat(requestedIds()).containsExactly(List.of(1L, 1L));
    }

    @Test
    void cancellingTheOutcomesCancelsTheSource() {
        server.respond(request -> Reply.delayed(Duration.ofMillis(50), bulk(id -> OK).reply(request)));
        AtomicInteger cancelled = new AtomicInteger();
        StepVerifier.create(writer().maxRows(10).build().write(readings(100_000).doOnCancel(cancelled::incrementAndGet)))
            .expectNextCount(25)
            .thenCancel()
            .verify(WAIT);
        assertThat(cancelled).hasValue(1);
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

    static List<?> args(Reading reading) {
        return List.of(reading.id(), reading.v());
    }
}
