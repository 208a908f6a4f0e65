package dev.cratereactive.internal.codec;

import java.util.List;

/** Writes {@code /_sql} request bodies with Jackson's {@code JsonGenerator}. */
public final class RequestEncoder {

    private RequestEncoder() {
    }

    /**
     * @param sql the statement
     * @param args positional parameters (types: see {@code CrateClient}); may contain {@code null}
     * @return UTF-8 JSON {@code {"stmt": sql, "args": [...]}}; {@code args} omitted when empty
     * @throws IllegalArgumentException naming the parameter position and its type when a parameter (or a value
     *     nested in it) cannot be sent
     */
    public static byte[] statement(String sql, List<Object> args) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * @param sql the statement
     * @param rows one parameter list per execution
     * @return UTF-8 JSON {@code {"stmt": sql, "bulk_args": [[...], ...]}}
     * @throws IllegalArgumentException naming the row and parameter position when a value cannot be sent, or
     *     when a row is {@code null}
     */
    public static byte[] bulk(String sql, List<? extends List<?>> rows) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
