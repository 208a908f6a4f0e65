package dev.cratereactive.internal.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The batcher's stop, in the interleaving that concurrency makes rare: a batch's answer stops the run and its
 * freed slot asks for the next batch while another thread is inside the batcher's drain loop (here: the mapper,
 * which that loop runs). Seen once in CI through {@code BulkWriterFailureTest}, where a second batch went out
 * after the read-only block of the first.
 */
class BatcherTest {

    private static final String SQL = "INSERT INTO t (v) VALUES (?)";

    @Test
    void aStopWhileTheNextBatchIsBeingCutSendsNothingMore() {
        Run run = new Run();
        AtomicReference<Subscription> slot = new AtomicReference<>();
        Function<Integer, List<?>> mapper = item -> {
            if (item == 4) { // the first item of the second batch: the first batch's answer arrives now
                run.stop(new IllegalStateException("blocked"));
                slot.get().request(1);
            }
            return List.of(item);
        };
        Batcher<Integer> batcher = new Batcher<>(Flux.range(1, 100), mapper, SQL, 3, 1 << 20, Duration.ZERO,
            Schedulers.parallel(), run);
        run.attach(batcher);
        Recorder recorder = new Recorder(slot);

        batcher.subscribe(recorder);

        assertThat(recorder.batches).as("batches handed on").hasSize(1);
        assertThat(recorder.batches.get(0).rows).extracting(row -> row.item).containsExactly(1, 2, 3);
        assertThat(recorder.completed).as("completed after the stop").isTrue();
        assertThat(run.error()).hasMessage("blocked");
    }

    @Test
    void withoutAStopEveryItemIsHandedOnInBatchesOfMaxRows() {
        Run run = new Run();
        AtomicReference<Subscription> slot = new AtomicReference<>();
        Batcher<Integer> batcher = new Batcher<>(Flux.range(1, 7), List::of, SQL, 3, 1 << 20, Duration.ZERO,
            Schedulers.parallel(), run);
        run.attach(batcher);
        Recorder recorder = new Recorder(slot);

        batcher.subscribe(recorder);
        slot.get().request(Long.MAX_VALUE);

        assertThat(recorder.batches).extracting(Batch::size).containsExactly(3, 3, 1);
        assertThat(recorder.completed).isTrue();
        assertThat(run.error()).isNull();
    }

    /** Asks for one batch on subscription, like a {@code flatMap} with one slot, and then only when told. */
    private static final class Recorder implements Subscriber<Batch<Integer>> {
        final List<Batch<Integer>> batches = new CopyOnWriteArrayList<>();
        final AtomicReference<Subscription> slot;
        volatile boolean completed;

        Recorder(AtomicReference<Subscription> slot) {
            this.slot = slot;
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            slot.set(subscription);
            subscription.request(1);
        }

        @Override
        public void onNext(Batch<Integer> batch) {
            batches.add(batch);
        }

        @Override
        public void onError(Throwable error) {
            throw new AssertionError("the batcher completes; the run carries the error", error);
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }
}
