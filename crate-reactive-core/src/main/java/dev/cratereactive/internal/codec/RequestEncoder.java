package dev.cratereactive.internal.codec;

import dev.cratereactive.internal.types.ParameterWriter;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.ByteArrayBuilder;

/** Writes {@code /_sql} request bodies with Jackson's {@code JsonGenerator}. */
public final class RequestEncoder {

    /*
     * The fast double writer (Schubfach) writes the shortest text that reads back as the same double, as the JDK's
     * Double.toString does from Java 19; Java 17's is about 3x slower and was a quarter of a W3 batch's encoding.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
        .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
        .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
        .build();

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
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(args, "args");
        return body(sql, 16 * args.size(), statementArgs(args));
    }

    /**
     * Like {@link #statement(String, List)}, ready to send: gzipped while it is encoded when over the threshold.
     *
     * @param sql the statement
     * @param args positional parameters
     * @param compressionThreshold bodies larger than this many bytes are gzipped
     * @return the body
     * @throws IllegalArgumentException as {@link #statement(String, List)}
     */
    public static RequestBody statement(String sql, List<Object> args, int compressionThreshold) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(args, "args");
        return body(sql, 16 * args.size(), compressionThreshold, statementArgs(args));
    }

    private static Consumer<JsonGenerator> statementArgs(List<Object> args) {
        return g -> {
            if (!args.isEmpty()) {
                g.writeName("args");
                writeArgs(g, args, -1);
            }
        };
    }

    /**
     * @param sql the statement
     * @param rows one parameter list per execution
     * @return UTF-8 JSON {@code {"stmt": sql, "bulk_args": [[...], ...]}}
     * @throws IllegalArgumentException naming the row and parameter position when a value cannot be sent, or
     *     when a row is {@code null}
     */
    public static byte[] bulk(String sql, List<? extends List<?>> rows) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(rows, "rows");
        return body(sql, 32 * rows.size(), bulkArgs(rows));
    }

    /**
     * Like {@link #bulk(String, List)}, ready to send: gzipped while it is encoded when over the threshold, so
     * that a large body is never held uncompressed.
     *
     * @param sql the statement
     * @param rows one parameter list per execution
     * @param compressionThreshold bodies larger than this many bytes are gzipped
     * @return the body
     * @throws IllegalArgumentException as {@link #bulk(String, List)}
     */
    public static RequestBody bulk(String sql, List<? extends List<?>> rows, int compressionThreshold) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(rows, "rows");
        return body(sql, 36 * rows.size(), compressionThreshold, bulkArgs(rows));
    }

    private static Consumer<JsonGenerator> bulkArgs(List<? extends List<?>> rows) {
        return g -> {
            g.writeName("bulk_args");
            g.writeStartArray();
            for (int row = 0; row < rows.size(); row++) {
                List<?> args = rows.get(row);
                if (args == null) {
                    throw new IllegalArgumentException("bulk row " + (row + 1) + " (rows[" + row + "]) is null");
                }
                writeArgs(g, args, row);
            }
            g.writeEndArray();
        };
    }

    /**
     * The size of {@link #bulk} for no rows; a body with rows adds {@link #bulkRowSize} per row and one byte (a
     * comma) between rows.
     *
     * @param sql the statement
     * @return the length in bytes of {@code {"stmt": sql, "bulk_args": []}}
     */
    public static int bulkBodySize(String sql) {
        return bulk(sql, List.of()).length;
    }

    /**
     * Measures one row of {@code bulk_args} as {@link #bulk} writes it, without keeping the bytes.
     *
     * @param args the row's parameters
     * @return the length in bytes of {@code [arg, ...]}
     * @throws IllegalArgumentException naming the parameter position when a value cannot be sent
     */
    public static int bulkRowSize(List<?> args) {
        Objects.requireNonNull(args, "args");
        CountingOutput out = new CountingOutput();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out, JsonEncoding.UTF8)) {
            writeArgs(g, args, -1);
        }
        return (int) Math.min(Integer.MAX_VALUE, out.count);
    }

    /** Counts what the generator writes and drops it. */
    private static final class CountingOutput extends java.io.OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** {@code {"stmt": sql, ...}} where {@code parameters} writes the fields after {@code stmt}. */
    private static byte[] body(String sql, int parametersSizeHint, Consumer<JsonGenerator> parameters) {
        ByteArrayBuilder out = new ByteArrayBuilder(64 + sql.length() + parametersSizeHint);
        write(out, sql, parameters);
        return out.toByteArray();
    }

    private static RequestBody body(String sql, int parametersSizeHint, int compressionThreshold,
                                    Consumer<JsonGenerator> parameters) {
        BodySink out = new BodySink(compressionThreshold, 64 + sql.length() + parametersSizeHint);
        try {
            write(out, sql, parameters);
            return out.body();
        } finally {
            out.release();
        }
    }

    private static void write(java.io.OutputStream out, String sql, Consumer<JsonGenerator> parameters) {
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeName("stmt");
            g.writeString(sql);
            parameters.accept(g);
            g.writeEndObject();
        }
    }

    /** @param row the bulk row index, or -1 for a single statement */
    private static void writeArgs(JsonGenerator g, List<?> args, int row) {
        g.writeStartArray();
        for (int i = 0; i < args.size(); i++) {
            try {
                ParameterWriter.write(g, args.get(i));
            } catch (IllegalArgumentException | JacksonException e) {
                // The writer's message is a predicate without the subject, and never holds the value.
                String predicate = e instanceof JacksonException ? "cannot be written as JSON" : e.getMessage();
                throw new IllegalArgumentException(position(row, i) + " " + predicate);
            }
        }
        g.writeEndArray();
    }

    private static String position(int row, int index) {
        return row < 0
            ? "parameter " + (index + 1) + " (args[" + index + "])"
            : "bulk row " + (row + 1) + ", parameter " + (index + 1) + " (rows[" + row + "][" + index + "])";
    }
}
