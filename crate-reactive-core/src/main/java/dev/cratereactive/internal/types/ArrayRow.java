package dev.cratereactive.internal.types;

/** A {@link StoredRow} over one {@code Object[]}: rows wider than {@link FieldRows} covers. */
public final class ArrayRow extends StoredRow {

    private final Columns columns;
    private final Object[] values;

    /**
     * @param columns the response's columns
     * @param values one natural value per column; the row owns the array from now on (it is not copied)
     * @throws IllegalArgumentException if the number of values is not the number of columns
     */
    public ArrayRow(Columns columns, Object[] values) {
        this.columns = columns;
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
        }
        this.values = values;
    }

    @Override
    Columns columns() {
        return columns;
    }

    @Override
    Object value(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return values.length;
    }
}
