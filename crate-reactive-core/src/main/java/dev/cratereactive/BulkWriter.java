package dev.cratereactive;

import java.time.Duration;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * Writes a stream of items with one statement, in bulk requests ({@code bulk_args}), and reports one
 * {@link BulkOutcome} per item. Created by {@link CrateClient#bulkWriter}; immutable and reusable: every
 * {@link #write} call is an independent run.
 *
 * <p>What it guarantees:
 * <ul>
 *   <li><b>Backpressure end to end.</b> Items are requested from the source only as batches are answered: at most
 *       {@code maxInFlight × maxRows + maxRows} items are taken from the source without their outcome having been
 *       emitted, whatever the source's size; a slow CrateDB or a slow subscriber slows the source.</li>
 *   <li><b>Batches.</b> A batch closes at {@code maxRows} items, before the item that would take its encoded body
 *       over {@code maxBytes} (measured with the encoder that writes the request, before gzip), or {@code linger}
 *       after its first item; an item bigger than {@code maxBytes} on its own goes alone in its own request.</li>
 *   <li><b>Per-row retries.</b> Items CrateDB answered with a retryable code (5002 shards unavailable, 5030-5035)
 *       are resent, after a backoff of 100 ms doubling per retry (at most 5 s), in a request of their own, up to
 *       {@code itemRetries} times; then their outcome carries the last error. A whole request that failed with a
 *       retryable error and did not run (HTTP 429, 5030-5035, no node reachable) is resent the same way.</li>
 *   <li><b>Unknown outcomes.</b> A request written with no answer ({@link CrateException#statementMayHaveRun()})
 *       is resent only when the writer is {@code idempotent}; otherwise each of its items gets an outcome with
 *       {@link BulkOutcome#outcomeUnknown()} true.</li>
 *   <li><b>Final errors.</b> An error for the whole statement that no retry can fix (syntax, unknown table,
 *       credentials, a blocked table) stops the writer: no further item is taken or sent, the outcomes of
 *       requests already in flight are emitted, then the {@code Flux} fails with the client's exception. A row
 *       answered with a block code (4007, 4031-4037) is final too: when {@code blocks.write} lands while a request
 *       is in flight, CrateDB 6.4.3 answers HTTP 200 with the rows written before it as {@code 1} and the others as
 *       {@code -2} with code 4035; a read-only table answers every row with 4037. That batch's outcomes are
 *       emitted, then the {@code Flux} fails with a {@link CrateBlockedException}. When the {@code Flux} fails,
 *       every item without an outcome was never sent.</li>
 *   <li><b>Source and mapper errors</b> stop taking items; the items already taken are sent and get their
 *       outcomes, then the {@code Flux} fails with that error. A mapper or parameter error is an
 *       {@link IllegalArgumentException} naming the item's position.</li>
 * </ul>
 * Outcomes come in the order requests are answered, not the source's order; each carries its item.
 *
 * @param <T> the item type
 */
public interface BulkWriter<T> {

    /** Default rows per request: 1,000. */
    int DEFAULT_MAX_ROWS = 1_000;
    /** Default largest encoded request body, before gzip: 8 MiB. */
    long DEFAULT_MAX_BYTES = 8L * 1024 * 1024;
    /** CrateDB's default {@code http.max_content_length} (100 MB): bodies must stay below, else HTTP 413. */
    long SERVER_MAX_BYTES = 100L * 1024 * 1024;
    /** Default longest wait of a partial batch for more items: 100 ms. */
    Duration DEFAULT_LINGER = Duration.ofMillis(100);
    /** Default concurrent requests: 2. */
    int DEFAULT_MAX_IN_FLIGHT = 2;
    /** Default resends of an item that failed with a retryable code: 3. */
    int DEFAULT_ITEM_RETRIES = 3;

    /**
     * Writes the items. Cold: nothing is taken from {@code items} before subscription, and every subscription
     * is a new run. Cancelling the returned {@code Flux} cancels the source and the requests in flight.
     *
     * @param items the source; its items must not be {@code null}
     * @return one outcome per item, in answer order; fails after the outcomes already answered when the writer
     *     stops (see the class description)
     */
    Flux<BulkOutcome<T>> write(Publisher<? extends T> items);

    /**
     * Options of a {@link BulkWriter}, checked by {@link #build()}. Not thread-safe.
     *
     * @param <T> the item type
     */
    interface Builder<T> {

        /**
         * @param maxRows items per request, positive (default {@value BulkWriter#DEFAULT_MAX_ROWS})
         * @return this builder
         */
        Builder<T> maxRows(int maxRows);

        /**
         * @param maxBytes the largest encoded JSON request body in bytes before gzip, positive and below
         *                 {@link BulkWriter#SERVER_MAX_BYTES} (default {@link BulkWriter#DEFAULT_MAX_BYTES})
         * @return this builder
         */
        Builder<T> maxBytes(long maxBytes);

        /**
         * @param linger how long a partial batch waits for more items, zero or positive; zero sends a partial
         *               batch as soon as a request slot is free (default 100 ms)
         * @return this builder
         */
        Builder<T> linger(Duration linger);

        /**
         * @param maxInFlight concurrent requests, positive (default {@value BulkWriter#DEFAULT_MAX_IN_FLIGHT})
         * @return this builder
         */
        Builder<T> maxInFlight(int maxInFlight);

        /**
         * @param itemRetries resends of an item that failed with a retryable code, zero or positive
         *                    (default {@value BulkWriter#DEFAULT_ITEM_RETRIES})
         * @return this builder
         */
        Builder<T> itemRetries(int itemRetries);

        /**
         * @param idempotent true when sending the statement twice with the same item does no harm (an upsert, see
         *                   {@link Upsert}): a request whose outcome is unknown is then resent (default false)
         * @return this builder
         */
        Builder<T> idempotent(boolean idempotent);

        /**
         * @return the writer
         * @throws IllegalArgumentException naming the option and its value when one is out of range
         */
        BulkWriter<T> build();
    }
}
