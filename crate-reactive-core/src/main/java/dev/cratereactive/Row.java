package dev.cratereactive;

import org.jspecify.annotations.Nullable;

/**
 * One result row. Values are decoded to their natural Java types (see {@link CrateType}): BIGINT is a
 * {@link Long}, NUMERIC a {@link java.math.BigDecimal}, TIMESTAMP WITH TIME ZONE an {@link java.time.Instant},
 * OBJECT a {@code Map<String, Object>}, arrays a {@code List}, SQL {@code NULL} is {@code null}.
 * Immutable and safe to keep after the query completes.
 */
public interface Row {

    /**
     * @param index zero-based column index
     * @return the value in its natural type, or {@code null}
     * @throws IndexOutOfBoundsException if there is no such column
     */
    @Nullable Object get(int index);

    /**
     * @param name the column name (see {@link RowMetadata#indexOf(String)})
     * @return the value in its natural type, or {@code null}
     * @throws IllegalArgumentException if there is no such column; the message lists the columns
     */
    @Nullable Object get(String name);

    /**
     * The value converted to {@code type}: numbers to any numeric box type or {@link java.math.BigDecimal}
     * when no precision is lost, timestamps to {@link java.time.Instant}, {@link java.time.OffsetDateTime},
     * {@link java.time.ZonedDateTime} (UTC), {@link java.time.LocalDateTime}, {@link java.util.Date} or epoch
     * milliseconds, text to {@link java.util.UUID} or enums by name, anything to {@link String}.
     *
     * @param index zero-based column index
     * @param type the wanted type
     * @param <T> the wanted type
     * @return the converted value, or {@code null} for SQL {@code NULL}
     * @throws IllegalArgumentException if the value cannot be converted without loss; the message names the
     *     column, its type and the value's type
     * @throws IndexOutOfBoundsException if there is no such column
     */
    <T> @Nullable T get(int index, Class<T> type);

    /**
     * Like {@link #get(int, Class)}, by column name.
     *
     * @param name the column name
     * @param type the wanted type
     * @param <T> the wanted type
     * @return the converted value, or {@code null} for SQL {@code NULL}
     * @throws IllegalArgumentException if there is no such column or the value cannot be converted
     */
    <T> @Nullable T get(String name, Class<T> type);

    /** @return the columns of this row's result */
    RowMetadata metadata();

    /** @return the number of columns */
    int size();
}
