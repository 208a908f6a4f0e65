package dev.cratereactive.examples.webflux;

import dev.cratereactive.Row;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * One measurement, as JSON: {@code {"id":1,"sensor":"kitchen","celsius":21.5,"takenAt":"2024-02-29T12:00:00Z"}}.
 *
 * @param id unique id (the table's primary key)
 * @param sensor where it was taken
 * @param celsius the temperature
 * @param takenAt when
 */
public record Measurement(long id, String sensor, double celsius, Instant takenAt) {

    /** @return the values in the table's column order, for a bulk insert */
    List<Object> toParameters() {
        return Arrays.asList(id, sensor, celsius, takenAt);
    }

    /**
     * @param row a row with the columns {@code id, sensor, celsius, taken_at}
     * @return the measurement
     */
    static Measurement of(Row row) {
        return new Measurement(row.get("id", Long.class), row.get("sensor", String.class),
            row.get("celsius", Double.class), row.get("taken_at", Instant.class));
    }
}
