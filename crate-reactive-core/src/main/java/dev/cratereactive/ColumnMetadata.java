package dev.cratereactive;

/** The name and type of one result column, as the server reported them. Immutable. */
public interface ColumnMetadata {

    /** @return the column name from {@code cols}, exactly as the server sent it */
    String name();

    /** @return the column type from {@code col_types}; {@link CrateType#NOT_SUPPORTED} when the server sent none */
    CrateType type();
}
