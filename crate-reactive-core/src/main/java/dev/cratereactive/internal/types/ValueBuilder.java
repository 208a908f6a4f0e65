package dev.cratereactive.internal.types;

/**
 * Assembles one JSON array or object value while its children arrive, so that a value can span chunk
 * boundaries. The decoder keeps a stack of builders; each one knows the {@link ValueReader} for its children,
 * which is how the element type of {@code ARRAY(NUMERIC)} or {@code ARRAY(ARRAY(INTEGER))} reaches the
 * elements. Single use; not thread-safe.
 */
public abstract class ValueBuilder {

    ValueBuilder() {
    }

    /** @return the reader for the next child value */
    public abstract ValueReader childReader();

    /**
     * Announces the name of the next child; only objects receive names.
     *
     * @param name the property name
     */
    public void name(String name) {
        throw new IllegalStateException("property name inside an array");
    }

    /** @param value the next child, {@code null} for JSON {@code null} */
    public abstract void add(Object value);

    /**
     * @return the finished value
     * @throws IllegalArgumentException if the children do not form a value of the type (e.g. a GEO_POINT
     *     without exactly two coordinates)
     */
    public abstract Object build();
}
