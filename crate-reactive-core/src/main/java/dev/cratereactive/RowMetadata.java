package dev.cratereactive;

import java.util.List;

/** The columns of a result, shared by all its rows. Immutable. */
public interface RowMetadata {

    /** @return the columns in result order; never {@code null}, empty for statements without a result set */
    List<ColumnMetadata> columns();

    /**
     * The position of a column. An exact match wins; otherwise the first column whose name matches ignoring
     * case.
     *
     * @param name the column name
     * @return the zero-based index, or {@code -1} when there is no such column
     */
    int indexOf(String name);
}
