package dev.cratereactive.internal.codec;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateError;
import dev.cratereactive.RowMetadata;
import java.time.Duration;
import java.util.List;

/**
 * What a whole {@code /_sql} response said besides its rows.
 *
 * @param metadata the columns ({@code cols} and {@code col_types}); empty when absent
 * @param rowCount {@code rowcount}, or -1 when absent
 * @param durationNanos {@code duration} (server milliseconds as a float) in nanoseconds, 0 when absent; a
 *     {@link Duration} is made only when asked for ({@link #duration()}): most responses are rows only
 * @param bulkResults {@code results} of a bulk response, or {@code null} when absent
 * @param error the {@code error} object, or {@code null} when the statement succeeded
 * @param errorTrace {@code error_trace}, or {@code null}
 * @param rowsDecoded how many rows the decoder produced (in {@code DISCARD_ROWS} mode: counted)
 */
public record DecodedResponse(RowMetadata metadata, long rowCount, long durationNanos,
                              List<BulkResult.RowResult> bulkResults, CrateError error, String errorTrace,
                              long rowsDecoded) {

    /** @return {@code duration}, {@link Duration#ZERO} when absent */
    public Duration duration() {
        return Duration.ofNanos(durationNanos);
    }
}
