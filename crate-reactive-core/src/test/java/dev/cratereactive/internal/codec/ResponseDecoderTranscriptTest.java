package dev.cratereactive.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.ColumnMetadata;
import dev.cratereactive.CrateType;
import dev.cratereactive.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real CrateDB responses decode to the Java values written out here by hand. */
class ResponseDecoderTranscriptTest {

    private static Decoding.Result decode(String transcript) {
        Transcripts.Transcript t = Transcripts.load(transcript);
        assertThat(t.status()).isEqualTo(200);
        return Decoding.decode(t.body());
    }

    private static void assertRow(Row row, Object... expected) {
        assertThat(row.size()).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            String column = row.metadata().columns().get(i).name();
            Object actual = row.get(i);
            if (expected[i] == null) {
                assertThat(actual).as(column).isNull();
            } else {
                Class<?> type = expected[i] instanceof Map ? Map.class
                    : expected[i] instanceof List ? List.class : expected[i].getClass();
                assertThat(actual).as(column).isInstanceOf(type);
                assertThat(Arrays.deepEquals(new Object[] {actual}, new Object[] {expected[i]}))
                    .as("%s: %s vs expected %s", column, actual, expected[i]).isTrue();
            }
        }
    }

    private static List<String> names(Decoding.Result result) {
        return result.response().metadata().columns().stream().map(ColumnMetadata::name).toList();
    }

    private static List<CrateType> types(Decoding.Result result) {
        return result.response().metadata().columns().stream().map(ColumnMetadata::type).toList();
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void selectAllTypes() throws Exception {
        Decoding.Result result = decode("select-all-types");

        assertThat(names(result)).containsExactly("id", "b", "t", "vc", "ch", "si", "i", "bi", "r", "d", "n", "ts",
            "tsn", "ip", "o", "oi", "gp", "gs", "ai", "at", "ao", "aai", "bits", "fv");
        assertThat(types(result)).containsExactly(CrateType.INTEGER, CrateType.BOOLEAN, CrateType.TEXT, CrateType.TEXT,
            CrateType.CHARACTER, CrateType.SMALLINT, CrateType.INTEGER, CrateType.BIGINT, CrateType.REAL,
            CrateType.DOUBLE, CrateType.NUMERIC, CrateType.TIMESTAMP_WITH_TIME_ZONE,
            CrateType.TIMESTAMP_WITHOUT_TIME_ZONE, CrateType.IP, CrateType.OBJECT, CrateType.OBJECT,
            CrateType.GEO_POINT, CrateType.GEO_SHAPE, CrateType.arrayOf(CrateType.INTEGER),
            CrateType.arrayOf(CrateType.TEXT), CrateType.arrayOf(CrateType.OBJECT),
            CrateType.arrayOf(CrateType.arrayOf(CrateType.INTEGER)), CrateType.BIT, CrateType.FLOAT_VECTOR);
        assertThat(result.response().rowCount()).isEqualTo(3);
        assertThat(result.response().rowsDecoded()).isEqualTo(3);
        assertThat(result.response().duration()).isEqualTo(Duration.ofNanos(12_026_042));
        assertThat(result.response().error()).isNull();
        assertThat(result.response().bulkResults()).isNull();
        assertThat(result.rows()).hasSize(3);

        assertRow(result.rows().get(0),
            1, true, "h\u00e9llo \u2713 \uD83D\uDE80", "abc", "xy ", (short) 32767, 2147483647,
            9223372036854775806L, Float.MAX_VALUE, Double.MAX_VALUE, new BigDecimal("123456789.125"),
            Instant.parse("2024-02-29T10:34:56.789Z"), LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_000_000),
            InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 0, 1}),
            map("x", 1, "y", "why"), map("n", List.of(1, 2), "anything", "two"),
            new double[] {9.74, 47.41},
            map("coordinates", List.of(List.of(List.of(5.0, 5.0), List.of(5.0, 10.0), List.of(10.0, 10.0),
                List.of(10.0, 5.0), List.of(5.0, 5.0))), "type", "Polygon"),
            Arrays.asList(1, 2, null), Arrays.asList("a", null), List.of(map("k", 1), map("k", 2)),
            List.of(List.of(1, 2), List.of(3)), "B'1010'", new float[] {0.5f, 1.5f, -2.25f});
        // The rocket is one code point, decoded from the surrogate-pair escape.
        String text = (String) result.rows().get(0).get("t");
        assertThat(text.codePointAt(text.length() - 2)).isEqualTo(0x1F680);

        Object[] nulls = new Object[24];
        nulls[0] = 2;
        assertRow(result.rows().get(1), nulls);

        assertRow(result.rows().get(2),
            3, false, "", " ", "a  ", (short) -32768, -2147483648, -9223372036854775807L, -1.4E-45f,
            -Double.MIN_VALUE, new BigDecimal("-0.001"), Instant.EPOCH,
            LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000),
            InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
            Map.of(), Map.of(), new double[] {-180.0, -90.0},
            map("coordinates", List.of(0.0, 0.0), "type", "Point"), List.of(), List.of(), List.of(),
            List.of(List.of()), "B'0000'", new float[] {0f, 0f, 0f});
    }

    @Test
    void selectSpecialValues() {
        Decoding.Result result = decode("select-special-values");

        assertThat(names(result)).containsExactly("nan_d", "inf_r", "ninf_d", "big_numeric", "iv", "ttz", "js", "dt",
            "uuid_ok", "nothing", "arr_null", "nested_obj", "rc", "rp");
        assertThat(types(result)).containsExactly(CrateType.DOUBLE, CrateType.REAL, CrateType.DOUBLE,
            CrateType.NUMERIC, CrateType.INTERVAL, CrateType.TIMETZ, CrateType.JSON, CrateType.DATE,
            CrateType.BOOLEAN, CrateType.NULL, CrateType.arrayOf(CrateType.TEXT), CrateType.OBJECT,
            CrateType.REGCLASS, CrateType.REGPROC);
        assertThat(result.rows()).hasSize(1);
        assertRow(result.rows().get(0),
            Double.NaN, Float.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            new BigDecimal("123456789012345678901234567890.123"), "1 day 02:00:03",
            OffsetTime.of(13, 0, 0, 123_456_000, ZoneOffset.ofHours(2)), "{\"a\":[1,2]}", LocalDate.of(2024, 2, 29),
            true, null, Arrays.asList((Object) null), map("a", map("b", map("c", 1))), 241206555, "sum");
        assertThat(result.response().duration()).isEqualTo(Duration.ofNanos(4_608_261));
    }

    /** Type ids no CrateDB has yet (edited into a real response): values by JSON token, ids kept, no failure. */
    @Test
    void unknownTypeIdsDecodeByJsonTokenAndKeepTheirIds() {
        Decoding.Result result = decode("select-unknown-type-ids");

        assertThat(names(result)).containsExactly("i", "u", "a", "o", "p", "big");
        List<CrateType> types = types(result);
        assertThat(types.get(0)).isEqualTo(CrateType.INTEGER);
        assertThat(types.get(1).id()).isEqualTo(99);
        assertThat(types.get(1).name()).isEqualTo("TYPE_99");
        assertThat(types.get(2)).isEqualTo(CrateType.arrayOf(CrateType.of(98)));
        assertThat(types.get(3).id()).as("a type described by more than its id keeps the id").isEqualTo(120);
        assertThat(types.get(3).isArray()).isFalse();
        assertThat(types.get(4)).isEqualTo(CrateType.arrayOf(CrateType.of(101)));
        assertThat(types.get(5).id()).isEqualTo(97);
        assertThat(result.rows()).hasSize(1);
        assertRow(result.rows().get(0), 1, "abc", List.of(1.5, 2.5), map("x", 1, "y", List.of(true)),
            List.of(List.of(1)), new BigInteger("12345678901234567890"));
        assertThat(result.response().rowCount()).isEqualTo(1);
        assertThat(result.response().error()).isNull();
    }

    /** A real type id this client has no mapping for: CrateDB 6.4's UUID (29) reads as its JSON strings. */
    @Test
    void uuidOfCrateDb64DecodesByJsonToken() {
        Decoding.Result result = decode("select-uuid");

        assertThat(types(result)).containsExactly(CrateType.of(29), CrateType.arrayOf(CrateType.of(29)));
        assertRow(result.rows().get(0), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            List.of("00000000-0000-0000-0000-000000000000"));
    }

    @Test
    void selectGenerated1000() {
        Decoding.Result result = decode("select-generated-1000");

        assertThat(types(result)).containsExactly(CrateType.INTEGER, CrateType.TEXT, CrateType.DOUBLE);
        assertThat(result.rows()).hasSize(1000);
        assertThat(result.response().rowsDecoded()).isEqualTo(1000);
        assertThat(result.response().rowCount()).isEqualTo(1000);
        assertRow(result.rows().get(0), 1, "row-1", 1.5);
        assertRow(result.rows().get(1), 2, "row-2", 3.0);
        assertRow(result.rows().get(499), 500, "row-500", 750.0);
        assertRow(result.rows().get(999), 1000, "row-1000", 1500.0);
        for (int i = 0; i < 1000; i++) {
            assertThat(result.rows().get(i).get("x")).isEqualTo(i + 1);
        }
        // All rows share one metadata instance.
        assertThat(result.rows().get(999).metadata()).isSameAs(result.rows().get(0).metadata())
            .isSameAs(result.response().metadata());
    }

    @Test
    void selectEmpty() {
        Decoding.Result result = decode("select-empty");

        assertThat(result.rows()).isEmpty();
        assertThat(result.response().rowCount()).isZero();
        assertThat(result.response().rowsDecoded()).isZero();
        assertThat(names(result)).hasSize(19).startsWith("attributes", "cluster_state_version").endsWith("version");
        assertThat(types(result).get(16)).isEqualTo(CrateType.arrayOf(CrateType.TEXT));
        assertThat(types(result).get(17)).isEqualTo(CrateType.arrayOf(CrateType.OBJECT));
    }

    @Test
    void selectWithoutTypesMapsByJsonToken() {
        Decoding.Result result = decode("select-no-types");

        assertThat(names(result)).containsExactly("one", "two");
        assertThat(types(result)).containsExactly(CrateType.NOT_SUPPORTED, CrateType.NOT_SUPPORTED);
        assertThat(result.rows()).hasSize(1);
        assertRow(result.rows().get(0), 1, "a");
        assertThat(result.response().duration()).isEqualTo(Duration.ofNanos(1_158_404));
    }

    @Test
    void selectParameters() {
        Decoding.Result dollar = decode("select-params-dollar");
        assertThat(names(dollar)).containsExactly("a", "b");
        assertRow(dollar.rows().get(0), "second", "first");

        Decoding.Result qmark = decode("select-params-qmark");
        assertThat(types(qmark)).containsExactly(CrateType.INTEGER, CrateType.TEXT, CrateType.NULL);
        assertRow(qmark.rows().get(0), 42, "x", null);
    }

    @Test
    void otherQueries() {
        assertRow(decode("select-simple").rows().get(0), 1, "a");
        assertRow(decode("default-schema-header").rows().get(0), "custom", 0L);
        assertRow(decode("sys-jobs").rows().get(0), "c6cef6e0-2c2d-531b-5b1d-4f6e9432a883",
            "SELECT id, stmt, started FROM sys.jobs WHERE stmt LIKE 'SELECT id, stmt%'",
            Instant.ofEpochMilli(1795461063724L));
        assertRow(decode("sys-nodes").rows().get(0), "oDP2DipCT7OKSkqfdckMQA", "n1", "vm", "127.0.0.1:4200",
            map("http", 4200, "psql", 5432, "transport", 4300));
        assertThat(decode("cursor-fetch-1").rows()).extracting(row -> row.get(0)).containsExactly(1, 2, 3, 4);
        assertThat(decode("cursor-fetch-4").rows()).isEmpty();
    }

    @Test
    void statementWithoutResultSetHasNoRows() {
        // CrateDB answers DDL and DML with "cols":[],"rows":[[]]: no result set, so no Row is made of it.
        Decoding.Result result = decode("insert-all-types");

        assertThat(result.response().metadata().columns()).isEmpty();
        assertThat(result.response().rowCount()).isEqualTo(3);
        assertThat(result.rows()).isEmpty();
    }
}
