package dev.cratereactive.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes the benchmarks serve and the parameters they send, rendered once per JVM.
 *
 * <p>The big result has the shape of {@code SELECT id, name, v FROM t} on CrateDB: columns BIGINT, TEXT (20
 * characters) and DOUBLE, row {@code i} is {@code [i, "name-%015d", i * 0.5]}, framed exactly like CrateDB's
 * {@code /_sql?types} answer ({@code cols}, {@code col_types}, {@code rows}, {@code rowcount}, {@code duration}).
 */
public final class BenchData {

    /** The statement of the big result (the server answers any statement with it). */
    public static final String BIG_STATEMENT = "SELECT id, name, v FROM bench.t";
    /** The statement of the small result: the one recorded in the {@code select-simple} transcript. */
    public static final String SMALL_STATEMENT = "SELECT 1 AS one, 'a' AS two";
    /** The small result, byte for byte as CrateDB 6.4.3 answered {@link #SMALL_STATEMENT}. */
    public static final String SMALL_BODY =
        "{\"cols\":[\"one\",\"two\"],\"col_types\":[9,4],\"rows\":[[1,\"a\"]],\"rowcount\":1,\"duration\":1.565707}";
    /** The bulk statement. */
    public static final String BULK_STATEMENT = "INSERT INTO bench.t (id, name, v) VALUES (?, ?, ?)";

    private BenchData() {
    }

    /**
     * @param rows how many rows
     * @return the whole response body, UTF-8
     */
    public static byte[] bigResult(int rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows * 42 + 128);
        StringBuilder text = new StringBuilder(64 * 1024);
        text.append("{\"cols\":[\"id\",\"name\",\"v\"],\"col_types\":[10,4,6],\"rows\":[");
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append('[').append((long) i).append(",\"").append(name(i)).append("\",").append(i * 0.5).append(']');
            if (text.length() > 60 * 1024) {
                out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
                text.setLength(0);
            }
        }
        text.append("],\"rowcount\":").append(rows).append(",\"duration\":1234.5678}");
        out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /**
     * @param i row number
     * @return the TEXT value of row {@code i}: 20 ASCII characters
     */
    public static String name(long i) {
        String digits = Long.toString(i);
        return "name-" + "000000000000000".substring(digits.length()) + digits;
    }

    /**
     * @param rows how many parameter rows
     * @return {@code [id, name, v]} rows for {@link #BULK_STATEMENT}, the same values as the big result
     */
    public static List<List<Object>> bulkRows(int rows) {
        List<List<Object>> all = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            all.add(List.of((long) i, name(i), i * 0.5));
        }
        return all;
    }

    /**
     * @param rows the results in one bulk response
     * @return CrateDB's answer to a successful bulk INSERT of that many rows
     */
    public static byte[] bulkResponse(int rows) {
        StringBuilder text = new StringBuilder(rows * 16 + 64);
        text.append("{\"cols\":[],\"duration\":12.345678,\"results\":[");
        for (int i = 0; i < rows; i++) {
            text.append(i == 0 ? "" : ",").append("{\"rowcount\":1}");
        }
        return text.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
