package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.Reply;
import dev.cratereactive.testing.Responder;
import dev.cratereactive.testing.Transcript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * What each failure does to the bulk writer's outcomes: one per item, or the {@code Flux} fails and the items
 * without one were never sent.
 */
class BulkWriterFailureTest extends BulkWriterTestSupport {

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
}
