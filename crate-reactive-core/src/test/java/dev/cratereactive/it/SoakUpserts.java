package dev.cratereactive.it;

import dev.cratereactive.BulkOutcome;
import dev.cratereactive.BulkWriter;
import dev.cratereactive.CrateClient;
import dev.cratereactive.Upsert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The soak's writes: {@link BulkWriter} upserts with a known expected final state, and the ledger that checks it.
 *
 * <p>Ids are cut into slots; a run takes a free slot, upserts a random prefix of its ids with values of a new
 * version ({@code version * VERSIONS + id}, so every value written is unique and names its id) and gives the slot
 * back when its {@code Flux} ends. One run at a time per id, so "the last acknowledged value" is well defined. Per
 * id the ledger keeps the last acknowledged value, the values whose outcome is unknown (they may land, even
 * late) and the values that were certainly not written (rejected per row, or never sent because the run failed).
 */
final class SoakUpserts {

    /** Ids per slot and the factor that keeps a value's id in its low digits. */
    private static final int SLOT_IDS = 200;
    private static final long VERSIONS = 1_000_000L;

    private final BulkWriter<Item> writer;
    private final Queue<Integer> freeSlots = new ConcurrentLinkedQueue<>();
    private final AtomicLong versions = new AtomicLong();
    private final Map<Long, Ledger> ledgers = new ConcurrentHashMap<>();

    final LongAdder runs = new LongAdder();
    final LongAdder failedRuns = new LongAdder();
    final LongAdder written = new LongAdder();
    final LongAdder resent = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder unknown = new LongAdder();
    final LongAdder neverSent = new LongAdder();

    record Item(long id, long value) {
    }

    /** Per id, guarded by itself: only one run writes an id at a time, but outcomes arrive on I/O threads. */
    private static final class Ledger {
        Long acknowledged;
        final Set<Long> maybe = new HashSet<>();
        final Set<Long> notWritten = new HashSet<>();
    }

    /** What the table holds against what the writer said. */
    record Verdict(long acknowledgedIds, long lost, long maybeLanded, long rejectedButStored, long unexpected,
                   List<String> examples) {
    }

    /**
     * @param client the soak's client
     * @param table the key-value table {@code (id BIGINT PRIMARY KEY, v BIGINT)}
     * @param slots how many runs may write at once
     * @return the soak's writes through an idempotent upsert writer (50 rows a request, 2 in flight)
     */
    static SoakUpserts on(CrateClient client, String table, int slots) {
        return new SoakUpserts(client.<Item>bulkWriter(Upsert.statement(table, List.of("id", "v"), List.of("id")),
                item -> List.of(item.id(), item.value()))
            .maxRows(50)
            .maxInFlight(2)
            .linger(Duration.ofMillis(20))
            .itemRetries(3)
            .idempotent(true)
            .build(), slots);
    }

    /**
     * @param writer the writer every run uses
     * @param slots how many runs may write at once
     */
    SoakUpserts(BulkWriter<Item> writer, int slots) {
        this.writer = writer;
        for (int slot = 0; slot < slots; slot++) {
            freeSlots.add(slot);
        }
    }

    /** @return one writer run over a free slot (1 to 200 ids, new values); its errors are the caller's */
    Mono<Void> run() {
        return Mono.defer(() -> {
            Integer slot = freeSlots.poll();
            if (slot == null) {
                return Mono.error(new IllegalStateException("no free upsert slot: more runs in flight than slots"));
            }
            long version = versions.incrementAndGet();
            int count = 1 + ThreadLocalRandom.current().nextInt(SLOT_IDS);
            List<Item> items = new ArrayList<>(count);
            for (long id = (long) slot * SLOT_IDS; id < (long) slot * SLOT_IDS + count; id++) {
                items.add(new Item(id, version * VERSIONS + id));
            }
            Set<Item> answered = ConcurrentHashMap.newKeySet();
            runs.increment();
            return writer.write(Flux.fromIterable(items))
                .doOnNext(outcome -> {
                    answered.add(outcome.item());
                    record(outcome);
                })
                .doOnError(error -> {
                    failedRuns.increment();
                    // The writer's contract: when its Flux fails, every item without an outcome was never sent.
                    items.stream().filter(item -> !answered.contains(item)).forEach(item -> {
                        neverSent.increment();
                        ledger(item.id(), ledger -> ledger.notWritten.add(item.value()));
                    });
                })
                .doFinally(signal -> freeSlots.add(slot))
                .then();
        });
    }

    private void record(BulkOutcome<Item> outcome) {
        Item item = outcome.item();
        if (outcome.attempts() > 1) {
            resent.increment();
        }
        if (outcome.isSuccess()) {
            written.increment();
            ledger(item.id(), ledger -> ledger.acknowledged = item.value());
        } else if (outcome.outcomeUnknown()) {
            unknown.increment();
            ledger(item.id(), ledger -> ledger.maybe.add(item.value()));
        } else {
            rejected.increment();
            ledger(item.id(), ledger -> ledger.notWritten.add(item.value()));
        }
    }

    private void ledger(long id, java.util.function.Consumer<Ledger> change) {
        Ledger ledger = ledgers.computeIfAbsent(id, key -> new Ledger());
        synchronized (ledger) {
            change.accept(ledger);
        }
    }

    /**
     * @param stored the table's rows, id to value
     * @return the comparison: an acknowledged id must hold its last acknowledged value, or a value whose outcome
     *     was unknown (documented); anything else is lost or unexpected
     */
    Verdict verify(Map<Long, Long> stored) {
        long acknowledgedIds = 0;
        long lost = 0;
        long maybeLanded = 0;
        long rejectedButStored = 0;
        long unexpected = 0;
        List<String> examples = new ArrayList<>();
        Set<Long> ids = new HashSet<>(ledgers.keySet());
        ids.addAll(stored.keySet());
        for (Long id : ids) {
            Ledger ledger = ledgers.get(id);
            Long value = stored.get(id);
            Long acknowledged;
            boolean maybe;
            boolean notWritten;
            if (ledger == null) {
                acknowledged = null;
                maybe = false;
                notWritten = false;
            } else {
                synchronized (ledger) {
                    acknowledged = ledger.acknowledged;
                    maybe = value != null && ledger.maybe.contains(value);
                    notWritten = value != null && ledger.notWritten.contains(value);
                }
            }
            if (acknowledged != null) {
                acknowledgedIds++;
            }
            if (value != null && value.equals(acknowledged)) {
                continue;
            }
            String problem = null;
            if (maybe) {
                maybeLanded++;
            } else if (notWritten) {
                rejectedButStored++;
                problem = "id " + id + " holds " + value + ", which the writer reported as not written";
            } else if (acknowledged != null) {
                lost++;
                problem = "id " + id + " holds " + value + " instead of its last acknowledged " + acknowledged;
            } else if (value != null) {
                unexpected++;
                problem = "id " + id + " holds " + value + ", which no acknowledged or unknown write carried";
            }
            if (problem != null && examples.size() < 10) {
                examples.add(problem);
            }
        }
        return new Verdict(acknowledgedIds, lost, maybeLanded, rejectedButStored, unexpected, examples);
    }
}
