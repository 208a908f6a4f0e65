package dev.cratereactive.flink;

import dev.cratereactive.BulkOutcome;
import dev.cratereactive.BulkWriter;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateError;
import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * One subtask's writer: elements go through a unicast sink into one {@link BulkWriter} run that lasts as long as the
 * writer. The task thread blocks in {@link #write} while {@code capacity} elements are without an outcome, and in
 * {@link #flush} until none is. Outcomes arrive on the client's event loop; failed rows are handed to the user's
 * handler on the task thread.
 */
final class CrateSinkWriter<T> implements SinkWriter<T> {

    /** Counter of rows CrateDB acknowledged as written. */
    static final String ROWS_ACKNOWLEDGED = "crateRowsAcknowledged";
    /** Counter of rows CrateDB did not write (rejected, or outcome unknown). */
    static final String ROWS_FAILED = "crateRowsFailed";

    /** An accepted element, its parameters (mapped on the task thread) and when it was accepted. */
    record Accepted<T>(T element, List<?> row, long acceptedNanos) {
    }

    private final CrateClient client;
    private final RowMapper<T> rowMapper;
    private final @Nullable RowFailureHandler<T> rowFailureHandler;
    private final int capacity;
    private final Sinks.Many<Accepted<T>> input = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable run;
    private final Queue<BulkOutcome<T>> failedRows = new ConcurrentLinkedQueue<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int pending;
    private @Nullable Throwable failure;

    private final Counter recordsSend;
    private final Counter recordsSendErrors;
    private final Counter rowsAcknowledged;
    private final Counter rowsFailed;
    private volatile long lastSendTimeMillis;

    CrateSinkWriter(CrateClient client,
                    BiFunction<CrateClient, Function<Accepted<T>, List<?>>, BulkWriter<Accepted<T>>> writerFactory,
                    RowMapper<T> rowMapper, @Nullable RowFailureHandler<T> rowFailureHandler, int capacity,
                    SinkWriterMetricGroup metrics) {
        this.client = client;
        this.rowMapper = rowMapper;
        this.rowFailureHandler = rowFailureHandler;
        this.capacity = capacity;
        this.recordsSend = metrics.getNumRecordsSendCounter();
        this.recordsSendErrors = metrics.getNumRecordsSendErrorsCounter();
        this.rowsAcknowledged = metrics.counter(ROWS_ACKNOWLEDGED);
        this.rowsFailed = metrics.counter(ROWS_FAILED);
        metrics.setCurrentSendTimeGauge(() -> lastSendTimeMillis);
        BulkWriter<Accepted<T>> writer = writerFactory.apply(client, Accepted::row);
        this.run = writer.write(input.asFlux()).subscribe(this::onOutcome, this::onWriterError,
            () -> onWriterError(new IllegalStateException("the bulk writer completed while the sink was open")));
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        handleFailedRows();
        List<?> row = rowMapper.toRow(element);
        lock.lockInterruptibly();
        try {
            while (pending >= capacity && failure == null) {
                changed.await();
            }
            throwIfFailed();
            pending++;
        } finally {
            lock.unlock();
        }
        Sinks.EmitResult result = input.tryEmitNext(new Accepted<>(element, row, System.nanoTime()));
        if (result.isFailure()) {
            throw new CrateSinkException("the bulk writer no longer takes rows: " + result, null, null);
        }
    }

    /**
     * Returns once every element accepted so far has its outcome and every failed row went to the handler.
     * Flink calls it before each checkpoint and at the end of input.
     */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        lock.lockInterruptibly();
        try {
            while (pending > 0 && failure == null) {
                changed.await();
            }
            throwIfFailed();
        } finally {
            lock.unlock();
        }
        handleFailedRows();
    }

    @Override
    public void close() {
        // Cancels the requests in flight (after a flush there are none), then closes the connection pool.
        run.dispose();
        // Flink interrupts a cancelled task's thread; a blocking close would give up at once and leave the pool open.
        boolean interrupted = Thread.interrupted();
        try {
            client.close();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void onOutcome(BulkOutcome<Accepted<T>> outcome) {
        Accepted<T> accepted = outcome.item();
        if (outcome.isSuccess()) {
            lastSendTimeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - accepted.acceptedNanos());
            recordsSend.inc();
            rowsAcknowledged.inc();
        } else {
            recordsSendErrors.inc();
            rowsFailed.inc();
            BulkOutcome<T> failed = new BulkOutcome<>(accepted.element(), outcome.rowCount(), outcome.error(),
                outcome.attempts(), outcome.outcomeUnknown());
            if (rowFailureHandler == null) {
                fail(rowFailure(failed));
            } else {
                failedRows.add(failed);
            }
        }
        lock.lock();
        try {
            pending--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void onWriterError(Throwable error) {
        fail(new CrateSinkException("the bulk writer failed: " + error, null, error));
    }

    private void fail(Throwable error) {
        lock.lock();
        try {
            if (failure == null) {
                failure = error;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void throwIfFailed() throws IOException {
        Throwable error = failure;
        if (error instanceof IOException io) {
            throw io;
        }
        if (error != null) {
            throw new IOException(error);
        }
    }

    private void handleFailedRows() throws IOException {
        BulkOutcome<T> outcome;
        while (rowFailureHandler != null && (outcome = failedRows.poll()) != null) {
            try {
                rowFailureHandler.onFailure(outcome);
            } catch (Exception e) {
                throw new CrateSinkException("the row failure handler failed: " + e, outcome.error().orElse(null), e);
            }
        }
    }

    private static CrateSinkException rowFailure(BulkOutcome<?> outcome) {
        CrateError error = outcome.error().orElse(null);
        String what = outcome.outcomeUnknown() ? "a row was sent and no answer came (it may or may not be written)"
            : "CrateDB did not write a row";
        return new CrateSinkException(what + " after " + outcome.attempts() + " attempt(s): "
            + (error == null ? "no error" : error.code() + " " + error.message())
            + "; set onRowFailure(...) on the CrateSink to handle such rows instead of failing the job", error, null);
    }
}
