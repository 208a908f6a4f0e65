package dev.cratereactive.internal.bulk;

import dev.cratereactive.BulkOutcome;
import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateBlockedException;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateError;
import dev.cratereactive.CrateException;
import dev.cratereactive.internal.failure.ErrorCodes;
import dev.cratereactive.internal.failure.Texts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;

/**
 * Sends one batch with {@link CrateClient#bulk} and turns the answer into outcomes, by the failure model
 * ({@link CrateException#isRetryable()}, {@link CrateException#statementMayHaveRun()}, {@link ErrorCodes}):
 * rows with a retryable code, and whole requests that failed without running, are resent after a backoff; a
 * request with an unknown outcome is resent only when the statement is idempotent; final errors stop the run.
 */
final class BulkSender {

    /** The first wait before a resend; doubled per resend up to {@link #MAX_RETRY_BACKOFF}. */
    static final Duration RETRY_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(5);

    private final CrateClient client;
    private final String sql;
    private final int itemRetries;
    private final boolean idempotent;
    private final Duration retryBackoff;

    BulkSender(CrateClient client, String sql, int itemRetries, boolean idempotent, Duration retryBackoff) {
        this.client = client;
        this.sql = sql;
        this.itemRetries = itemRetries;
        this.idempotent = idempotent;
        this.retryBackoff = retryBackoff;
    }

    /**
     * @param rows the rows of one request (all sent equally often so far)
     * @param run the writer's run
     * @return one outcome per row, except when a final error stopped the run before a row was answered
     */
    <T> Flux<BulkOutcome<T>> send(List<Pending<T>> rows, Run run) {
        return Flux.defer(() -> {
            List<List<?>> args = new ArrayList<>(rows.size());
            for (Pending<T> row : rows) {
                row.attempts++;
                args.add(row.args);
            }
            return client.bulk(sql, args)
                .materialize()
                .flatMapMany(signal -> signal.isOnNext()
                    ? answered(rows, signal.get(), run)
                    : failed(rows, errorOf(signal), run));
        });
    }

    private <T> Flux<BulkOutcome<T>> answered(List<Pending<T>> rows, BulkResult result, Run run) {
        if (result.results().size() != rows.size()) {
            return unknown(rows, new CrateError(CrateException.NO_ERROR_CODE, "CrateDB answered " + result.results().size()
                + " results for " + rows.size() + " rows"));
        }
        List<BulkOutcome<T>> outcomes = new ArrayList<>(rows.size());
        List<Pending<T>> again = new ArrayList<>();
        CrateError block = null;
        for (int i = 0; i < rows.size(); i++) {
            Pending<T> row = rows.get(i);
            BulkResult.RowResult answer = result.results().get(i);
            if (!answer.failed()) {
                outcomes.add(new BulkOutcome<>(row.item, answer.rowCount(), Optional.empty(), row.attempts, false));
                continue;
            }
            CrateError error = answer.error().orElseGet(() -> new CrateError(CrateException.NO_ERROR_CODE,
                "CrateDB reported the row as failed (row count " + answer.rowCount() + ") without an error"));
            if (ErrorCodes.isBlock(error.code()) && block == null) {
                block = error;
            }
            if (ErrorCodes.isRetryableRow(error.code()) && row.attempts <= itemRetries) {
                row.lastError = error;
                again.add(row);
            } else {
                outcomes.add(failure(row, error));
            }
        }
        if (block != null) {
            run.stop(new CrateBlockedException("CrateDB refused the write (code " + block.code() + "): "
                + block.message() + " -- statement: " + Texts.forDisplay(sql), block.code(), 200, null, null,
                Texts.forDisplay(sql), null));
        }
        return Flux.fromIterable(outcomes).concatWith(resend(again, run));
    }

    private <T> Flux<BulkOutcome<T>> failed(List<Pending<T>> rows, Throwable error, Run run) {
        if (!(error instanceof CrateException crate)) {
            run.stop(error); // not from CrateDB or the network (e.g. the client was closed): nothing was sent
            return Flux.empty();
        }
        CrateError reason = new CrateError(crate.errorCode(), crate.getMessage());
        if (crate.statementMayHaveRun()) {
            rows.forEach(row -> row.mayHaveBeenWritten = true);
            if (idempotent && rows.get(0).attempts <= itemRetries) {
                rows.forEach(row -> row.lastError = reason);
                return resend(rows, run);
            }
            return unknown(rows, reason);
        }
        if (crate.isRetryable()) {
            if (rows.get(0).attempts <= itemRetries) {
                rows.forEach(row -> row.lastError = reason);
                return resend(rows, run);
            }
            return Flux.fromIterable(rows).map(row -> failure(row, reason));
        }
        run.stop(crate); // the statement did not run, and no retry will change that
        return Flux.empty();
    }

    /** Resends after a backoff; when the run stopped meanwhile, the rows get their last error instead. */
    private <T> Flux<BulkOutcome<T>> resend(List<Pending<T>> rows, Run run) {
        if (rows.isEmpty()) {
            return Flux.empty();
        }
        return Mono.delay(backoff(rows.get(0).attempts))
            .flatMapMany(tick -> run.stopped()
                ? Flux.fromIterable(rows).map(row -> failure(row, row.lastError))
                : send(rows, run));
    }

    private Duration backoff(int attempts) {
        Duration wait = retryBackoff.multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(MAX_RETRY_BACKOFF) > 0 ? MAX_RETRY_BACKOFF : wait;
    }

    private static <T> Flux<BulkOutcome<T>> unknown(List<Pending<T>> rows, CrateError reason) {
        return Flux.fromIterable(rows).map(row -> unknownOutcome(row, reason));
    }

    private static <T> BulkOutcome<T> unknownOutcome(Pending<T> row, CrateError reason) {
        return new BulkOutcome<>(row.item, BulkResult.FAILED, Optional.of(new CrateError(reason.code(),
            "Outcome unknown: the row was sent " + row.attempts + (row.attempts == 1 ? " time" : " times")
                + " and no answer came; it may or may not have been written (" + reason.message() + ")")),
            row.attempts, true);
    }

    /** The row's final error; unknown when an earlier request with it may have been written. */
    private static <T> BulkOutcome<T> failure(Pending<T> row, CrateError error) {
        if (row.mayHaveBeenWritten) {
            return unknownOutcome(row, error);
        }
        return new BulkOutcome<>(row.item, BulkResult.FAILED, Optional.of(error), row.attempts, false);
    }

    private static Throwable errorOf(Signal<?> signal) {
        return signal.isOnError() ? signal.getThrowable() : new IllegalStateException("bulk() completed empty");
    }

    @Override
    public String toString() {
        return "itemRetries=" + itemRetries + ", idempotent=" + idempotent;
    }
}
