package dev.cratereactive.examples.webflux;

import java.util.List;

/**
 * The answer to {@code POST /measurements}.
 *
 * @param received rows in the request
 * @param inserted rows CrateDB stored
 * @param failed rows CrateDB rejected, in request order
 */
public record InsertReport(long received, long inserted, List<FailedRow> failed) {

    /**
     * @param index the row's position in the request, from 0
     * @param id the measurement id
     * @param code CrateDB's error code (4091: a measurement with this id exists)
     * @param message CrateDB's message
     */
    public record FailedRow(long index, long id, int code, String message) {
    }
}
