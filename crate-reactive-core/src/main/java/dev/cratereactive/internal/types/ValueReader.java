package dev.cratereactive.internal.types;

import tools.jackson.core.JsonParser;

/**
 * Turns the JSON token the parser is positioned on into the Java value of one CrateDB type, straight from the
 * token (no intermediate generic value). Scalars come back at once; arrays and objects start a
 * {@link ValueBuilder} that the caller feeds with the children as they arrive, possibly across chunks.
 *
 * <p>Each method is called only for its token kind; JSON {@code null} never reaches a reader (it is SQL
 * {@code NULL} for every type). A token the type cannot hold fails with an {@link IllegalArgumentException}
 * saying what was expected; the decoder adds the row and column. Instances are stateless and shared.
 */
public abstract class ValueReader {

    private final String expected;

    /** @param expected what this reader accepts, for error messages, e.g. {@code "a JSON integer"} */
    ValueReader(String expected) {
        this.expected = expected;
    }

    /**
     * @param parser positioned on a {@code VALUE_STRING}
     * @return the value
     */
    public Object fromString(JsonParser parser) {
        throw unexpected("a string");
    }

    /**
     * @param parser positioned on a {@code VALUE_NUMBER_INT}
     * @return the value
     */
    public Object fromInt(JsonParser parser) {
        throw unexpected("an integer");
    }

    /**
     * @param parser positioned on a {@code VALUE_NUMBER_FLOAT}
     * @return the value
     */
    public Object fromFloat(JsonParser parser) {
        throw unexpected("a decimal number");
    }

    /**
     * @param value {@code true} or {@code false}
     * @return the value
     */
    public Object fromBoolean(boolean value) {
        throw unexpected("a boolean");
    }

    /** @return a builder for the array that starts at the current {@code START_ARRAY} */
    public ValueBuilder startArray() {
        throw unexpected("an array");
    }

    /** @return a builder for the object that starts at the current {@code START_OBJECT} */
    public ValueBuilder startObject() {
        throw unexpected("an object");
    }

    final IllegalArgumentException unexpected(String actual) {
        return new IllegalArgumentException("expected " + expected + ", got " + actual);
    }
}
