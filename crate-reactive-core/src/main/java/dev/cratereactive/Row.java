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

    /**
     * The value as a {@code long}. SMALLINT, INTEGER and BIGINT values are stored unboxed and read without
     * allocation; other types convert as {@link #get(int, Class) get(index, Long.class)} does (e.g. a timestamp to
     * epoch milliseconds).
     *
     * @param index zero-based column index
     * @return the value
     * @throws NullPointerException if the value is SQL {@code NULL}; the message names the column
     * @throws IllegalArgumentException if the value cannot be converted without loss
     * @throws IndexOutOfBoundsException if there is no such column
     */
    default long getLong(int index) {
        return notNull(get(index, Long.class), this, index);
    }

    /**
     * Like {@link #getLong(int)}, by column name.
     *
     * @param name the column name
     * @return the value
     * @throws NullPointerException if the value is SQL {@code NULL}
     * @throws IllegalArgumentException if there is no such column or the value cannot be converted without loss
     */
    default long getLong(String name) {
        return notNull(get(name, Long.class), name);
    }

    /**
     * The value as an {@code int}. SMALLINT and INTEGER values (and BIGINT values in range) are read without
     * allocation; other types convert as {@link #get(int, Class) get(index, Integer.class)} does.
     *
     * @param index zero-based column index
     * @return the value
     * @throws NullPointerException if the value is SQL {@code NULL}; the message names the column
     * @throws IllegalArgumentException if the value cannot be converted without loss
     * @throws IndexOutOfBoundsException if there is no such column
     */
    default int getInt(int index) {
        return notNull(get(index, Integer.class), this, index);
    }

    /**
     * Like {@link #getInt(int)}, by column name.
     *
     * @param name the column name
     * @return the value
     * @throws NullPointerException if the value is SQL {@code NULL}
     * @throws IllegalArgumentException if there is no such column or the value cannot be converted without loss
     */
    default int getInt(String name) {
        return notNull(get(name, Integer.class), name);
    }

    /**
     * The value as a {@code double}. DOUBLE and REAL values (and integers up to 2^53) are read without
     * allocation; other types convert as {@link #get(int, Class) get(index, Double.class)} does.
     *
     * @param index zero-based column index
     * @return the value
     * @throws NullPointerException if the value is SQL {@code NULL}; the message names the column
     * @throws IllegalArgumentException if the value cannot be converted without loss
     * @throws IndexOutOfBoundsException if there is no such column
     */
    default double getDouble(int index) {
        return notNull(get(index, Double.class), this, index);
    }

    /**
     * Like {@link #getDouble(int)}, by column name.
     *
     * @param name the column name
     * @return the value
     * @throws NullPointerException if the value is SQL {@code NULL}
     * @throws IllegalArgumentException if there is no such column or the value cannot be converted without loss
     */
    default double getDouble(String name) {
        return notNull(get(name, Double.class), name);
    }

    /** @return the columns of this row's result */
    RowMetadata metadata();

    /** @return the number of columns */
    int size();

    private static <T> T notNull(@Nullable T value, Row row, int index) {
        return notNull(value, row.metadata().columns().get(index).name());
    }

    private static <T> T notNull(@Nullable T value, String column) {
        if (value == null) {
            throw new NullPointerException("column '" + column + "' is NULL; read it with get(..) where NULL is allowed");
        }
        return value;
    }
}
