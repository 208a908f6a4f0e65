package dev.cratereactive.internal.bulk;

import dev.cratereactive.BulkOutcome;
import dev.cratereactive.BulkWriter;
import dev.cratereactive.CrateClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The {@link BulkWriter}: a {@link Batcher} feeding {@code flatMap} with {@code maxInFlight} concurrency, each
 * batch sent (and its retryable rows resent) by the {@link BulkSender}. No compatibility promise.
 */
final class DefaultBulkWriter<T> implements BulkWriter<T> {

    private final CrateClient client;
    private final String sql;
    private final Function<? super T, ? extends List<?>> mapper;
    private final int maxRows;
    private final long maxBytes;
    private final Duration linger;
    private final int maxInFlight;
    private final BulkSender sender;

    DefaultBulkWriter(CrateClient client, String sql, Function<? super T, ? extends List<?>> mapper, int maxRows,
                      long maxBytes, Duration linger, int maxInFlight, BulkSender sender) {
        this.client = client;
        this.sql = sql;
        this.mapper = mapper;
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.linger = linger;
        this.maxInFlight = maxInFlight;
        this.sender = sender;
    }

    @Override
    public Flux<BulkOutcome<T>> write(Publisher<? extends T> items) {
        Objects.requireNonNull(items, "items");
        return Flux.defer(() -> {
            Run run = new Run();
            Batcher<T> batcher = new Batcher<>(items, mapper, sql, maxRows, maxBytes, linger, Schedulers.parallel(),
                run);
            run.attach(batcher);
            // flatMap asks the batcher for one batch per free slot, and frees a slot only once the batch's
            // outcomes went downstream: that, and the batcher holding at most maxRows, is the bound.
            return Flux.from(batcher)
                .flatMap(batch -> sender.send(batch.rows, run), maxInFlight)
                .concatWith(Mono.defer(() -> {
                    Throwable error = run.error();
                    return error == null ? Mono.empty() : Mono.error(error);
                }));
        });
    }

    @Override
    public String toString() {
        return "BulkWriter[" + client + ", maxRows=" + maxRows + ", maxBytes=" + maxBytes + ", linger=" + linger
            + ", maxInFlight=" + maxInFlight + ", " + sender + "]";
    }
}
