package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.BulkOutcome;
import dev.cratereactive.BulkResult;
import dev.cratereactive.BulkWriter;
import dev.cratereactive.CrateConnectionException;
import dev.cratereactive.CrateError;
import dev.cratereactive.CrateException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The soak's write ledger tells every kind of wrong final state from the documented ones. */
class SoakUpsertsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<SoakUpserts.Item> sent = new CopyOnWriteArrayList<>();
    private Function<SoakUpserts.Item, BulkOutcome<SoakUpserts.Item>> answer = SoakUpsertsTest::written;
    private int answersBeforeFailure = Integer.MAX_VALUE;

    /** One slot, so every run rewrites ids 0.. with a new version; the fake writer answers each item by rule. */
    private final SoakUpserts upserts = new SoakUpserts(items -> Flux.<SoakUpserts.Item>from(items).collectList()
        .flatMapMany(run -> {
            sent.addAll(run);
            return Flux.fromIterable(run).index();
        })
        .concatMap(indexed -> indexed.getT1() < answersBeforeFailure ? Flux.just(answer.apply(indexed.getT2()))
            : Flux.error(new CrateConnectionException("node gone", CrateException.NO_ERROR_CODE,
                CrateException.NO_HTTP_STATUS, null, null, null, null))), 1);

    @Test
    void theLastAcknowledgedValuesStoredAreRight() {
        run();
        run();
        SoakUpserts.Verdict verdict = upserts.verify(lastValues());

        assertThat(verdict.acknowledgedIds()).isEqualTo(ids());
        assertThat(verdict).extracting(SoakUpserts.Verdict::lost, SoakUpserts.Verdict::maybeLanded,
            SoakUpserts.Verdict::rejectedButStored, SoakUpserts.Verdict::unexpected).containsOnly(0L);
    }

    @Test
    void anEarlierAcknowledgedValueInPlaceOfTheLastOneIsLost() {
        run();
        Map<Long, Long> first = lastValues();
        run();
        Map<Long, Long> stored = lastValues();
        stored.put(0L, first.get(0L));

        assertThat(upserts.verify(stored).lost()).isEqualTo(1);
    }

    @Test
    void aMissingAcknowledgedRowIsLostAndARowNobodyWroteIsUnexpected() {
        run();
        Map<Long, Long> stored = lastValues();
        stored.remove(0L);
        stored.put(999_999L, 42L);

        SoakUpserts.Verdict verdict = upserts.verify(stored);
        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.unexpected()).isEqualTo(1);
    }

    @Test
    void aValueWithAnUnknownOutcomeMayStandButARejectedOneMayNot() {
        run();
        int from = sent.size();
        answer = item -> item.id() % 2 == 0 ? unknown(item) : rejected(item);
        run();
        List<SoakUpserts.Item> second = sent.subList(from, sent.size());
        Map<Long, Long> stored = lastValues(); // every value of the second run landed

        SoakUpserts.Verdict verdict = upserts.verify(stored);
        long even = second.stream().filter(item -> item.id() % 2 == 0).count();
        assertThat(verdict.maybeLanded()).isEqualTo(even);
        assertThat(verdict.rejectedButStored()).isEqualTo(second.size() - even);
        assertThat(verdict.lost()).isZero();
        assertThat(upserts.unknown.sum()).isEqualTo(even);
        assertThat(upserts.rejected.sum()).isEqualTo(second.size() - even);
    }

    @Test
    void itemsWithoutAnOutcomeWhenTheRunFailsWereNeverSentAndMustNotBeStored() {
        answersBeforeFailure = 0;
        StepVerifier.create(upserts.run()).expectError(CrateConnectionException.class).verify(TIMEOUT);

        assertThat(upserts.failedRuns.sum()).isEqualTo(1);
        assertThat(upserts.neverSent.sum()).isEqualTo(sent.size()); // no item got an outcome
        Map<Long, Long> stored = new HashMap<>(Map.of(0L, sent.get(0).value()));
        assertThat(upserts.verify(stored).rejectedButStored()).isEqualTo(1);
        // The slot came back: the next run fails like this one, not for want of a slot.
        StepVerifier.create(upserts.run()).expectError(CrateConnectionException.class).verify(TIMEOUT);
    }

    private void run() {
        StepVerifier.create(upserts.run()).expectComplete().verify(TIMEOUT);
    }

    private long ids() {
        return sent.stream().map(SoakUpserts.Item::id).distinct().count();
    }

    private Map<Long, Long> lastValues() {
        Map<Long, Long> values = new HashMap<>();
        sent.forEach(item -> values.put(item.id(), item.value()));
        return values;
    }

    private static BulkOutcome<SoakUpserts.Item> written(SoakUpserts.Item item) {
        return new BulkOutcome<>(item, 1, Optional.empty(), 1, false);
    }

    private static BulkOutcome<SoakUpserts.Item> unknown(SoakUpserts.Item item) {
        return new BulkOutcome<>(item, BulkResult.FAILED, Optional.of(new CrateError(0, "no answer")), 2, true);
    }

    private static BulkOutcome<SoakUpserts.Item> rejected(SoakUpserts.Item item) {
        return new BulkOutcome<>(item, BulkResult.FAILED, Optional.of(new CrateError(5002, "shards")), 4, false);
    }
}
