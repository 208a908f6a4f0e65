package dev.cratereactive.internal.types;

import dev.cratereactive.Row;
import dev.cratereactive.RowMetadata;
import java.util.Arrays;

/** A {@link Row} over one {@code Object[]} of natural values and the response's shared {@link Columns}. */
public final class ArrayRow implements Row {

    private final Columns columns;
    private final Object[] values;

    /**
     * @param columns the response's columns
     * @param values one natural value per column; the row owns the array from now on (it is not copied)
     * @throws IllegalArgumentException if the number of values is not the number of columns
     */
    public ArrayRow(Columns columns, Object[] values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
        }
        this.columns = columns;
        this.values = values;
    }

    @Override
    public Object get(int index) {
        Object value = values[index];
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
    public Object get(String name) {
        return get(columns.require(name));
    }

    @Override
    public <T> T get(int index, Class<T> type) {
        return Conversions.convert(get(index), type, columns, index);
    }

    @Override
    public <T> T get(String name, Class<T> type) {
        return get(columns.require(name), type);
    }

    @Override
    public RowMetadata metadata() {
        return columns;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayRow other && columns.equals(other.columns) && Arrays.deepEquals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * columns.hashCode() + Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Row{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(columns.name(i)).append('=').append(Conversions.text(values[i]));
        }
        return text.append('}').toString();
    }
}
