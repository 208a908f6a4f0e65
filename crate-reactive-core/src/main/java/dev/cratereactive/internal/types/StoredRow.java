package dev.cratereactive.internal.types;

import dev.cratereactive.Row;
import dev.cratereactive.RowMetadata;
import java.util.Arrays;
import java.util.Objects;

/**
 * The decoder's {@link Row}s: natural values and the response's shared {@link Columns}. Rows of up to
 * {@value FieldRows#MAX_WIDTH} columns keep their values in fields ({@link FieldRows}), wider ones in an
 * {@code Object[]} ({@link ArrayRow}); {@link #of} picks. Rows compare equal by columns and values, whatever the
 * storage. Immutable: every value is set in the constructor, and arrays are handed out as copies.
 */
public abstract class StoredRow implements Row {

    StoredRow() {
    }

    /**
     * A row of the first {@code count} values of {@code cells}, which are copied: the caller may reuse the array.
     *
     * @param columns the response's columns
     * @param cells the values; only read
     * @param count the number of values, the number of columns
     * @return the row
     * @throws IllegalArgumentException if {@code count} is not the number of columns
     */
    public static StoredRow of(Columns columns, Object[] cells, int count) {
        if (count != columns.size()) {
            throw new IllegalArgumentException(count + " values for " + columns.size() + " columns");
        }
        return count <= FieldRows.MAX_WIDTH ? FieldRows.of(columns, cells, count)
            : new ArrayRow(columns, Arrays.copyOf(cells, count));
    }

    /**
     * A row whose unboxed columns ({@link Columns#unboxedReader(int)}) are kept as bits.
     *
     * @param columns the response's columns, with {@link Columns#unboxedRows()}
     * @param refs by {@link Columns#slot(int) slot}: the values of the other columns
     * @param longs by slot: the bits of the unboxed columns that are not NULL
     * @param nulls bit {@code i} set when unboxed column {@code i} is SQL {@code NULL}
     * @return the row; the arrays are copied, the caller may reuse them
     */
    public static StoredRow of(Columns columns, Object[] refs, long[] longs, int nulls) {
        return MixedRows.of(columns, refs, longs, nulls);
    }

    /** @return the response's columns (held by each kind of row where its layout has room) */
    abstract Columns columns();

    // Overridable here (Row's defaults cannot be called from below this class): unboxed rows read their bits.

    @Override
    public long getLong(int index) {
        return Row.super.getLong(index);
    }

    @Override
    public int getInt(int index) {
        return Row.super.getInt(index);
    }

    @Override
    public double getDouble(int index) {
        return Row.super.getDouble(index);
    }

    @Override
    public final long getLong(String name) {
        return getLong(columns().require(name));
    }

    @Override
    public final int getInt(String name) {
        return getInt(columns().require(name));
    }

    @Override
    public final double getDouble(String name) {
        return getDouble(columns().require(name));
    }

    /**
     * @param index zero-based column index
     * @return the stored value, not copied
     * @throws IndexOutOfBoundsException if there is no such column
     */
    abstract Object value(int index);

    static IndexOutOfBoundsException outOfBounds(int index, int size) {
        return new IndexOutOfBoundsException("Index " + index + " out of bounds for length " + size);
    }

    @Override
    public final Object get(int index) {
        Object value = value(index);
        // Arrays are the only mutable natural values: hand out copies to keep the row immutable.
        if (value instanceof double[] doubles) {
            return doubles.clone();
        }
        if (value instanceof float[] floats) {
            return floats.clone();
        }
        return value;
    }

    @Override
    public final Object get(String name) {
        return get(columns().require(name));
    }

    @Override
    public final <T> T get(int index, Class<T> type) {
        return Conversions.convert(get(index), type, columns(), index);
    }

    @Override
    public final <T> T get(String name, Class<T> type) {
        return get(columns().require(name), type);
    }

    @Override
    public final RowMetadata metadata() {
        return columns();
    }

    @Override
    public final boolean equals(Object o) {
        if (!(o instanceof StoredRow other) || !columns().equals(other.columns()) || size() != other.size()) {
            return false;
        }
        for (int i = 0; i < size(); i++) {
            if (!Objects.deepEquals(value(i), other.value(i))) {
                return false;
            }
        }
        return true;
    }

    /** The hash of the columns and of the values as {@link Arrays#deepHashCode} computes it, without an array. */
    @Override
    public final int hashCode() {
        int hash = 1;
        for (int i = 0; i < size(); i++) {
            Object value = value(i);
            int element;
            if (value instanceof Object[] objects) {
                element = Arrays.deepHashCode(objects);
            } else if (value instanceof double[] doubles) {
                element = Arrays.hashCode(doubles);
            } else if (value instanceof float[] floats) {
                element = Arrays.hashCode(floats);
            } else {
                element = value == null ? 0 : value.hashCode();
            }
            hash = 31 * hash + element;
        }
        return 31 * columns().hashCode() + hash;
    }

    @Override
    public final String toString() {
        StringBuilder text = new StringBuilder("Row{");
        for (int i = 0; i < size(); i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(columns().name(i)).append('=').append(Conversions.text(value(i)));
        }
        return text.append('}').toString();
    }
}
