package dev.cratereactive.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.testing.Transcript;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Request bodies, byte for byte. */
class RequestEncoderTest {

    /** A parameter whose text must never appear in an error message. */
    private static final class Secret {
        @Override
        public String toString() {
            return "s3cr3t";
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String statement(Object... args) {
        return new String(RequestEncoder.statement("S", Arrays.asList(args)), StandardCharsets.UTF_8);
    }

    /** The JSON of one parameter. */
    private static String arg(Object value) {
        String json = statement(value);
        assertThat(json).startsWith("{\"stmt\":\"S\",\"args\":[").endsWith("]}");
        return json.substring("{\"stmt\":\"S\",\"args\":[".length(), json.length() - 2);
    }

    @Test
    void statementWithoutArgs() {
        assertThat(new String(RequestEncoder.statement("SELECT 1", List.of()), StandardCharsets.UTF_8))
            .isEqualTo("{\"stmt\":\"SELECT 1\"}");
    }

    @Test
    void statementTextIsEscaped() {
        assertThat(new String(RequestEncoder.statement("SELECT 'a\"b\\c\n\u00e9\uD83D\uDE80'", List.of()),
            StandardCharsets.UTF_8)).isEqualTo("{\"stmt\":\"SELECT 'a\\\"b\\\\c\\n\u00e9\uD83D\uDE80'\"}");
    }

    @Test
    void scalars() {
        assertThat(statement(42, "x", null)).isEqualTo("{\"stmt\":\"S\",\"args\":[42,\"x\",null]}");
        assertThat(arg(true)).isEqualTo("true");
        assertThat(arg(false)).isEqualTo("false");
        assertThat(arg((byte) -1)).isEqualTo("-1");
        assertThat(arg((short) 32767)).isEqualTo("32767");
        assertThat(arg(Integer.MIN_VALUE)).isEqualTo("-2147483648");
        assertThat(arg(9223372036854775806L)).isEqualTo("9223372036854775806");
        assertThat(arg(Long.MAX_VALUE)).isEqualTo("9223372036854775807");
        assertThat(arg(Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
        assertThat(arg((1L << 53) + 1)).isEqualTo("9007199254740993");
        assertThat(arg(new AtomicLong(7))).isEqualTo("7");
        assertThat(arg(1.5f)).isEqualTo("1.5");
        assertThat(arg(2.25)).isEqualTo("2.25");
        assertThat(arg(Double.MAX_VALUE)).isEqualTo("1.7976931348623157E308");
        assertThat(arg("t\u00e9xt \"q\"")).isEqualTo("\"t\u00e9xt \\\"q\\\"\"");
        assertThat(arg('c')).isEqualTo("\"c\"");
    }

    @Test
    void nanAndInfinitiesAreStrings() {
        assertThat(arg(Double.NaN)).isEqualTo("\"NaN\"");
        assertThat(arg(Double.POSITIVE_INFINITY)).isEqualTo("\"Infinity\"");
        assertThat(arg(Double.NEGATIVE_INFINITY)).isEqualTo("\"-Infinity\"");
        assertThat(arg(Float.NaN)).isEqualTo("\"NaN\"");
        assertThat(arg(Float.NEGATIVE_INFINITY)).isEqualTo("\"-Infinity\"");
        assertThat(arg(new double[] {1, Double.NaN})).isEqualTo("[1.0,\"NaN\"]");
        assertThat(arg(new float[] {Float.POSITIVE_INFINITY, 0.5f})).isEqualTo("[\"Infinity\",0.5]");
    }

    @Test
    void bigDecimalsThatCrateDbReadsBackExactlyAreNumbersWrittenPlain() {
        assertThat(arg(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(arg(new BigDecimal("1.50"))).isEqualTo("1.50");
        assertThat(arg(new BigDecimal("42.0"))).isEqualTo("42.0");
        assertThat(arg(new BigDecimal("0.1"))).isEqualTo("0.1");
        assertThat(arg(new BigDecimal("0.30000000000000004"))).isEqualTo("0.30000000000000004");
        assertThat(arg(new BigDecimal("-1E-10"))).isEqualTo("-0.0000000001");
        assertThat(arg(new BigDecimal("9223372036854775807"))).isEqualTo("9223372036854775807");
        assertThat(arg(new BigDecimal("-9223372036854775808"))).isEqualTo("-9223372036854775808");
    }

    @Test
    void bigDecimalsBeyondDoubleOrLongAreStringsWithEveryDigit() {
        // CrateDB would read these numbers as a double (rounded) or reject them: numeric-param-as-number.
        assertThat(arg(new BigDecimal("12345678901234567890.123456"))).isEqualTo("\"12345678901234567890.123456\"");
        assertThat(arg(new BigDecimal("123456789012345678901234567890.123")))
            .isEqualTo("\"123456789012345678901234567890.123\"");
        assertThat(arg(new BigDecimal("0.1000000000000000055511151231257827")))
            .isEqualTo("\"0.1000000000000000055511151231257827\"");
        assertThat(arg(new BigDecimal("9223372036854775808"))).isEqualTo("\"9223372036854775808\"");
        assertThat(arg(new BigDecimal("1.2E+25"))).isEqualTo("\"12000000000000000000000000\"");
        assertThat(arg(new BigDecimal("1E-400"))).isEqualTo("\"0." + "0".repeat(399) + "1\"");
        assertThat(arg(List.of(new BigDecimal("1.5"), new BigDecimal("12345678901234567890.5"))))
            .isEqualTo("[1.5,\"12345678901234567890.5\"]");
    }

    /** The encoding of these values is exactly what the real server was sent when it stored them exactly. */
    @Test
    void exactNumbersAreEncodedAsInTheTranscriptsThatStoredThemExactly() {
        assertEncodedAsRecorded("numeric-param-as-string", new BigDecimal("12345678901234567890.123456"));
        assertEncodedAsRecorded("numeric-param-big-integer-as-string",
            new BigInteger("12345678901234567890123456789012345678"));
        assertEncodedAsRecorded("numeric-param-long-extremes", Long.MAX_VALUE, (1L << 53) + 1, Long.MIN_VALUE,
            -(1L << 53) - 1);
        assertEncodedAsRecorded("numeric-param-numbers-in-other-columns", new BigDecimal("42.0"), new BigDecimal("0.1"),
            new BigDecimal("0.30000000000000004"));
        assertEncodedAsRecorded("numeric-param-number-arithmetic", new BigDecimal("1.5"), new BigDecimal("1.5"),
            new BigDecimal("1.5"), new BigDecimal("0.1"));
    }

    private static void assertEncodedAsRecorded(String transcript, Object... args) {
        JsonNode recorded = MAPPER.readTree(Transcript.load(transcript).requestBody());
        byte[] encoded = RequestEncoder.statement(recorded.path("stmt").asString(), Arrays.asList(args));
        assertThat(MAPPER.readTree(encoded)).as(transcript).isEqualTo(recorded);
    }

    @Test
    void bigIntegersAreNumbersWithinTheLongRangeAndStringsBeyond() {
        assertThat(arg(BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo("9223372036854775807");
        assertThat(arg(BigInteger.valueOf(Long.MIN_VALUE))).isEqualTo("-9223372036854775808");
        assertThat(arg(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE))).isEqualTo("\"9223372036854775808\"");
        assertThat(arg(new BigInteger("-123456789012345678901234567890")))
            .isEqualTo("\"-123456789012345678901234567890\"");
    }

    @Test
    void timesAndDates() {
        Instant instant = Instant.ofEpochMilli(1709202896789L);
        assertThat(arg(instant)).isEqualTo("1709202896789");
        assertThat(arg(OffsetDateTime.of(2024, 2, 29, 12, 34, 56, 789_000_000, ZoneOffset.ofHours(2))))
            .isEqualTo("1709202896789");
        assertThat(arg(ZonedDateTime.of(2024, 2, 29, 11, 34, 56, 789_000_000, ZoneId.of("Europe/Berlin"))))
            .isEqualTo("1709202896789");
        assertThat(arg(new Date(1709202896789L))).isEqualTo("1709202896789");
        assertThat(arg(Instant.ofEpochMilli(-1))).isEqualTo("-1");
        assertThat(arg(LocalDate.of(2024, 2, 29))).isEqualTo("\"2024-02-29\"");
        assertThat(arg(LocalDateTime.of(2024, 2, 29, 13, 0, 0, 123_000_000))).isEqualTo("\"2024-02-29T13:00:00.123\"");
        assertThat(arg(LocalDateTime.of(2024, 2, 29, 13, 0))).isEqualTo("\"2024-02-29T13:00:00\"");
        assertThat(arg(LocalTime.of(13, 0))).isEqualTo("\"13:00:00\"");
        assertThat(arg(LocalTime.of(13, 0, 1, 500_000_000))).isEqualTo("\"13:00:01.5\"");
        assertThat(arg(OffsetTime.of(13, 0, 0, 123_456_000, ZoneOffset.ofHours(2))))
            .isEqualTo("\"13:00:00.123456+02:00\"");
    }

    @Test
    void identifiers() throws Exception {
        assertThat(arg(UUID.fromString("c6cef6e0-2c2d-531b-5b1d-4f6e9432a883")))
            .isEqualTo("\"c6cef6e0-2c2d-531b-5b1d-4f6e9432a883\"");
        assertThat(arg(InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 0, 1}))).isEqualTo("\"192.168.0.1\"");
        assertThat(arg(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})))
            .isEqualTo("\"0:0:0:0:0:0:0:1\"");
    }

    @Test
    void containers() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", 1);
        map.put("b", Arrays.asList("x", null));
        map.put("c", Map.of("d", true));
        assertThat(arg(map)).isEqualTo("{\"a\":1,\"b\":[\"x\",null],\"c\":{\"d\":true}}");
        assertThat(arg(List.of(1, List.of(2, 3)))).isEqualTo("[1,[2,3]]");
        assertThat(arg(new LinkedHashSet<>(List.of("p", "q")))).isEqualTo("[\"p\",\"q\"]");
        assertThat(arg(List.of())).isEqualTo("[]");
        assertThat(arg(new Object[] {1, "a", null, new int[] {2}})).isEqualTo("[1,\"a\",null,[2]]");
        assertThat(arg(new int[] {1, -2})).isEqualTo("[1,-2]");
        assertThat(arg(new long[] {1L << 40})).isEqualTo("[1099511627776]");
        assertThat(arg(new double[] {0.5, -1})).isEqualTo("[0.5,-1.0]");
        assertThat(arg(new float[] {0.5f, 1.5f, -2.25f})).isEqualTo("[0.5,1.5,-2.25]");
        assertThat(arg(new short[] {3})).isEqualTo("[3]");
        assertThat(arg(new boolean[] {true, false})).isEqualTo("[true,false]");
        assertThat(arg(new String[0])).isEqualTo("[]");
    }

    @Test
    void unsupportedTypesNameThePositionAndNotTheValue() {
        assertThatThrownBy(() -> statement(1, new Thread("s3cr3t")))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("parameter 2 (args[1]) has unsupported type java.lang.Thread; supported: null, "
                + "Boolean, Number")
            .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> statement(new byte[] {1}))
            .hasMessageStartingWith("parameter 1 (args[0]) has unsupported type byte[];");
        assertThatThrownBy(() -> statement("ok", "ok", List.of(1, new Secret())))
            .hasMessageStartingWith("parameter 3 (args[2]) contains a value of unsupported type "
                + Secret.class.getName() + ";")
            .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> statement(Map.of("k", Map.of("s3cr3t", new Secret()))))
            .hasMessageStartingWith("parameter 1 (args[0]) contains a value of unsupported type")
            .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> statement(Map.of(42, "s3cr3t")))
            .hasMessage("parameter 1 (args[0]) contains a map key of type java.lang.Integer; map keys must be Strings");
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        assertThatThrownBy(() -> statement(nullKey)).hasMessage("parameter 1 (args[0]) contains a null map key");
        assertThatThrownBy(() -> statement((Iterable<Integer>) () -> List.of(1).iterator()))
            .hasMessageContaining("parameter 1 (args[0]) has unsupported type");
        assertThatThrownBy(() -> statement(new char[] {'a'})).hasMessageContaining("unsupported type char[]");
        assertThatThrownBy(() -> statement(new Object[] {new Object[] {new StringBuilder("s3cr3t")}}))
            .hasMessageStartingWith("parameter 1 (args[0]) contains a value of unsupported type java.lang.StringBuilder")
            .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void selfReferenceFailsClearly() {
        List<Object> list = new ArrayList<>();
        list.add(1);
        list.add(list);
        assertThatThrownBy(() -> statement("a", list)).isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessage("parameter 2 (args[1]) nests maps, collections or arrays deeper than 64 levels "
                + "(does it contain itself?)");

        Map<String, Object> map = new HashMap<>();
        map.put("self", map);
        assertThatThrownBy(() -> statement(map)).hasMessageContaining("deeper than 64 levels");

        Object[] array = new Object[1];
        array[0] = array;
        assertThatThrownBy(() -> statement(array)).hasMessageContaining("deeper than 64 levels");

        Object deep = 1;
        for (int i = 0; i < 64; i++) {
            deep = List.of(deep);
        }
        assertThat(arg(deep)).startsWith("[".repeat(64) + "1");
    }

    @Test
    void bulk() {
        assertThat(new String(RequestEncoder.bulk("INSERT INTO t (id, v) VALUES (?, ?)",
            List.of(List.of(1, "a"), Arrays.asList(2, null), List.of())), StandardCharsets.UTF_8))
            .isEqualTo("{\"stmt\":\"INSERT INTO t (id, v) VALUES (?, ?)\",\"bulk_args\":[[1,\"a\"],[2,null],[]]}");
        assertThat(new String(RequestEncoder.bulk("S", List.of()), StandardCharsets.UTF_8))
            .isEqualTo("{\"stmt\":\"S\",\"bulk_args\":[]}");
    }

    @Test
    void bulkErrorsNameRowAndParameter() {
        assertThatThrownBy(() -> RequestEncoder.bulk("S", Arrays.asList(List.of(1), null)))
            .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("bulk row 2 (rows[1]) is null");
        assertThatThrownBy(() -> RequestEncoder.bulk("S", List.of(List.of(1, 2), List.of(3, new Secret()))))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("bulk row 2, parameter 2 (rows[1][1]) has unsupported type " + Secret.class.getName())
            .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void bodiesOverTheThresholdAreGzippedWhileEncodedAndDecompressToTheSameJson() throws Exception {
        String sql = "INSERT INTO t (id, label, v) VALUES (?, ?, ?)";
        java.util.SplittableRandom random = new java.util.SplittableRandom(14);
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) { // random text compresses badly: the output buffer has to grow
            rows.add(List.of(i, Long.toString(random.nextLong(), 36) + "ü", random.nextDouble()));
        }
        byte[] json = RequestEncoder.bulk(sql, rows);
        for (int threshold : new int[] {0, 1, 100, 8 * 1024, json.length - 1}) {
            RequestBody body = RequestEncoder.bulk(sql, rows, threshold);
            assertThat(body.gzipped()).as("threshold %d", threshold).isTrue();
            assertThat(body.length()).isLessThan(json.length);
            assertThat(gunzip(body)).as("threshold %d", threshold).isEqualTo(json);
            assertThat(gunzip(RequestBody.of(json, threshold))).isEqualTo(json);
        }
        for (int threshold : new int[] {json.length, Integer.MAX_VALUE}) {
            RequestBody body = RequestEncoder.bulk(sql, rows, threshold);
            assertThat(body.gzipped()).isFalse();
            assertThat(Arrays.copyOf(body.bytes(), body.length())).isEqualTo(json);
        }
        RequestBody small = RequestEncoder.statement("SELECT ?", List.of(1), 8 * 1024);
        assertThat(small.gzipped()).isFalse();
        assertThat(new String(small.bytes(), 0, small.length(), StandardCharsets.UTF_8))
            .isEqualTo("{\"stmt\":\"SELECT ?\",\"args\":[1]}");
        assertThat(gunzip(RequestEncoder.statement("SELECT ?", List.of(1), 0)))
            .isEqualTo(RequestEncoder.statement("SELECT ?", List.of(1)));
    }

    @Test
    void aFailedGzippedEncodingLeavesTheNextOneIntact() throws Exception {
        List<List<?>> bad = List.of(List.of("x".repeat(20_000)), List.of(new Secret())); // past the generator's buffer
        for (int i = 0; i < 10; i++) { // more failures than pooled deflaters
            assertThatThrownBy(() -> RequestEncoder.bulk("S", bad, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bulk row 2, parameter 1");
        }
        List<List<?>> good = List.of(List.of("y".repeat(100)));
        assertThat(gunzip(RequestEncoder.bulk("S", good, 10))).isEqualTo(RequestEncoder.bulk("S", good));
    }

    private static byte[] gunzip(RequestBody body) throws java.io.IOException {
        assertThat(body.gzipped()).isTrue();
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
            new java.io.ByteArrayInputStream(body.bytes(), 0, body.length()))) {
            return in.readAllBytes(); // GZIPInputStream checks the trailer's CRC-32 and length
        }
    }

    @Test
    void sameBodyAsTheRecordedRequest() {
        // select-params-qmark.json sent {"stmt": "SELECT ? AS a, ? AS b, ? AS c", "args": [42, "x", null]}.
        assertThat(new String(RequestEncoder.statement("SELECT ? AS a, ? AS b, ? AS c", Arrays.asList(42, "x", null)),
            StandardCharsets.UTF_8)).isEqualTo("{\"stmt\":\"SELECT ? AS a, ? AS b, ? AS c\",\"args\":[42,\"x\",null]}");
    }

    @Test
    void bulkBodySizeIsTheEmptyBodyPlusEachRowPlusTheCommasBetween() {
        String sql = "INSERT INTO t (id, v, m, ts) VALUES (?, ?, ?, ?)";
        List<List<?>> rows = List.of(
            List.of(1, "plain", Map.of("k", List.of(1.5, 2)), Instant.ofEpochMilli(1)),
            Arrays.asList(2, "ünïcødé \"quoted\" \u2028", null, LocalDate.of(2024, 2, 29)),
            List.of(new BigDecimal("12345678901234567890.000001"), "", List.of(), new float[] {1.5f, -0.25f}));
        long expected = RequestEncoder.bulkBodySize(sql) + (rows.size() - 1);
        for (List<?> row : rows) {
            expected += RequestEncoder.bulkRowSize(row);
        }
        assertThat(expected).isEqualTo(RequestEncoder.bulk(sql, rows).length);
        assertThat(RequestEncoder.bulkBodySize(sql)).isEqualTo(RequestEncoder.bulk(sql, List.of()).length);
        assertThat(RequestEncoder.bulkRowSize(List.of(1, "ü"))).as("[1,\"ü\"] in UTF-8 bytes").isEqualTo(8);
    }

    @Test
    void bulkRowSizeRejectsAnUnsupportedParameterNamingItsPosition() {
        assertThatThrownBy(() -> RequestEncoder.bulkRowSize(List.of(1, new Object())))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("parameter 2 (args[1])")
            .hasMessageContaining("java.lang.Object");
    }
}
