package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cratereactive.ColumnMetadata;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateSqlException;
import dev.cratereactive.CrateType;
import dev.cratereactive.Row;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.RealCrateDb;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

/**
 * Every CrateDB type written with parameters and read back from a real server. Values and type ids follow the
 * transcripts recorded from CrateDB 6.4.3 ({@code create-table-all-types}, {@code select-all-types},
 * {@code select-special-values}): NaN and infinities travel as strings, NUMERIC as an exact token, TIMETZ as
 * {@code [micros, offset]}, GEO_SHAPE polygons come back re-oriented.
 */
@RealCrateDb
class DataTypesIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;

    private static final String COLUMNS = "id,b,t,vc,ch,si,i,bi,r,d,n,ts,tsn,ip,o,oi,gp,gs,ai,at,ao,aai,bits,fv,n38,u";

    @Test
    void everyStorableTypeRoundTripsThroughParameters(CrateDb db) throws UnknownHostException {
        String table = db.newTable("it_types");
        db.execute("CREATE TABLE " + table + " (\n"
            + "  id INTEGER PRIMARY KEY, b BOOLEAN, t TEXT, vc VARCHAR(10), ch CHARACTER(3), si SMALLINT, i INTEGER,\n"
            + "  bi BIGINT, r REAL, d DOUBLE PRECISION, n NUMERIC(12,3), ts TIMESTAMP WITH TIME ZONE,\n"
            + "  tsn TIMESTAMP WITHOUT TIME ZONE, ip IP, o OBJECT(DYNAMIC) AS (x INTEGER, y TEXT), oi OBJECT(IGNORED),\n"
            + "  gp GEO_POINT, gs GEO_SHAPE, ai ARRAY(INTEGER), at ARRAY(TEXT), ao ARRAY(OBJECT),\n"
            + "  aai ARRAY(ARRAY(INTEGER)), bits BIT(4), fv FLOAT_VECTOR(3), n38 NUMERIC(38,6), u UUID\n"
            + ") WITH (number_of_replicas = 0)");
        // BIT(n) takes its raw digits ("1010") only through an explicit cast; the server answers "B'1010'".
        String insert = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES "
            + "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?::BIT(4),?,?,?)";
        CrateClient client = db.client();

        Object[] maxima = {1, true, "h\u00e9llo \u2713 \uD83D\uDE80", "abc", "xy", (short) 32767, Integer.MAX_VALUE,
            9223372036854775806L, Float.MAX_VALUE, Double.MAX_VALUE, new BigDecimal("123456789.125"),
            Instant.parse("2024-02-29T10:34:56.789Z"), LocalDateTime.parse("2024-02-29T12:34:56.789"),
            InetAddress.getByName("192.168.0.1"), Map.of("x", 1, "y", "why"), Map.of("anything", "two", "n", List.of(1, 2)),
            new double[] {9.74, 47.41}, "POLYGON ((5 5, 10 5, 10 10, 5 10, 5 5))", Arrays.asList(1, 2, null),
            Arrays.asList("a", null), List.of(Map.of("k", 1), Map.of("k", 2)), List.of(List.of(1, 2), List.of(3)), "1010",
            new float[] {0.5f, 1.5f, -2.25f}, new BigDecimal("12345678901234567890123456789012.123456"),
            UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")};
        Object[] nulls = new Object[26];
        nulls[0] = 2;
        Object[] minima = {3, false, "", " ", "a", (short) -32768, Integer.MIN_VALUE, -9223372036854775807L, -Float.MIN_VALUE,
            -Double.MIN_VALUE, new BigDecimal("-0.001"), Instant.EPOCH, LocalDateTime.parse("1969-12-31T23:59:59.999"),
            InetAddress.getByName("2001:db8::1"), Map.of(), Map.of(), new double[] {-180, -90},
            Map.of("type", "Point", "coordinates", List.of(1.5, 2.5)), List.of(), List.of(), List.of(), List.of(List.of()),
            "0000", new float[] {0f, 0f, 0f}, new BigDecimal("-99999999999999999999999999999999.999999"),
            new UUID(0, 0)};
        for (Object[] values : List.of(maxima, nulls, minima)) {
            StepVerifier.create(client.execute(insert, values))
                .assertNext(result -> assertThat(result.rowCount()).isEqualTo(1))
                .expectComplete()
                .verify(TIMEOUT);
        }
        db.refresh(table);

        List<Row> rows = new ArrayList<>();
        StepVerifier.create(client.sql("SELECT " + COLUMNS + " FROM " + table + " ORDER BY id"))
            .recordWith(() -> rows)
            .expectNextCount(3)
            .expectComplete()
            .verify(TIMEOUT);

        assertThat(rows.get(0).metadata().columns()).extracting(ColumnMetadata::type).containsExactly(
            CrateType.INTEGER, CrateType.BOOLEAN, CrateType.TEXT, CrateType.TEXT, CrateType.CHARACTER,
            CrateType.SMALLINT, CrateType.INTEGER, CrateType.BIGINT, CrateType.REAL, CrateType.DOUBLE, CrateType.NUMERIC,
            CrateType.TIMESTAMP_WITH_TIME_ZONE, CrateType.TIMESTAMP_WITHOUT_TIME_ZONE, CrateType.IP, CrateType.OBJECT,
            CrateType.OBJECT, CrateType.GEO_POINT, CrateType.GEO_SHAPE, CrateType.arrayOf(CrateType.INTEGER),
            CrateType.arrayOf(CrateType.TEXT), CrateType.arrayOf(CrateType.OBJECT),
            CrateType.arrayOf(CrateType.arrayOf(CrateType.INTEGER)), CrateType.BIT, CrateType.FLOAT_VECTOR,
            CrateType.NUMERIC, CrateType.of(29));
        assertThat(rows.get(0).metadata().columns()).extracting(ColumnMetadata::name)
            .containsExactly(COLUMNS.split(","));

        Row max = rows.get(0);
        assertThat(max.get("id")).isEqualTo(1);
        assertThat(max.get("b")).isEqualTo(true);
        assertThat(max.get("t")).isEqualTo("h\u00e9llo \u2713 \uD83D\uDE80");
        assertThat(max.get("vc")).isEqualTo("abc");
        assertThat(max.get("ch")).as("CHARACTER(3) is blank-padded").isEqualTo("xy ");
        assertThat(max.get("si")).isEqualTo((short) 32767);
        assertThat(max.get("i")).isEqualTo(Integer.MAX_VALUE);
        assertThat(max.get("bi")).isEqualTo(9223372036854775806L);
        assertThat(max.get("r")).isEqualTo(Float.MAX_VALUE);
        assertThat(max.get("d")).isEqualTo(Double.MAX_VALUE);
        assertThat((BigDecimal) max.get("n")).isEqualByComparingTo("123456789.125");
        assertThat(max.get("ts")).isEqualTo(Instant.parse("2024-02-29T10:34:56.789Z"));
        assertThat(max.get("tsn")).isEqualTo(LocalDateTime.parse("2024-02-29T12:34:56.789"));
        assertThat(max.get("ip")).isEqualTo(InetAddress.getByName("192.168.0.1"));
        Map<?, ?> object = (Map<?, ?>) max.get("o");
        assertThat(object.keySet()).map(String::valueOf).containsExactlyInAnyOrder("x", "y");
        assertThat(((Number) object.get("x")).intValue()).isEqualTo(1);
        assertThat(object.get("y")).isEqualTo("why");
        Map<?, ?> ignored = (Map<?, ?>) max.get("oi");
        assertThat(ignored.get("anything")).isEqualTo("two");
        assertThat((List<?>) ignored.get("n")).extracting(n -> ((Number) n).intValue()).containsExactly(1, 2);
        assertThat((double[]) max.get("gp")).containsExactly(new double[] {9.74, 47.41}, within(1e-6));
        Map<?, ?> polygon = (Map<?, ?>) max.get("gs");
        assertThat(polygon.get("type")).isEqualTo("Polygon");
        assertThat(points((List<?>) ((List<?>) polygon.get("coordinates")).get(0)))
            .as("the ring, in whatever orientation the server normalised it to")
            .containsExactlyInAnyOrder(List.of(5.0, 5.0), List.of(10.0, 5.0), List.of(10.0, 10.0), List.of(5.0, 10.0),
                List.of(5.0, 5.0));
        assertThat(max.get("ai")).isEqualTo(Arrays.asList(1, 2, null));
        assertThat(max.get("at")).isEqualTo(Arrays.asList("a", null));
        assertThat((List<?>) max.get("ao")).extracting(o -> ((Number) ((Map<?, ?>) o).get("k")).intValue())
            .containsExactly(1, 2);
        assertThat(max.get("aai")).isEqualTo(List.of(List.of(1, 2), List.of(3)));
        assertThat(max.get("bits")).isEqualTo("B'1010'");
        assertThat((float[]) max.get("fv")).containsExactly(0.5f, 1.5f, -2.25f);
        assertThat(max.get("n38")).as("NUMERIC(38,6) with 38 digits, scale kept")
            .isEqualTo(new BigDecimal("12345678901234567890123456789012.123456"));
        // CrateDB 6.4 has a UUID column type (col_types id 29) this client maps by JSON token: a String.
        assertThat(max.get("u")).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(max.get("u", UUID.class)).isEqualTo(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));

        Row none = rows.get(1);
        assertThat(none.get("id")).isEqualTo(2);
        for (int column = 1; column < none.size(); column++) {
            assertThat(none.get(column)).as("column %s", none.metadata().columns().get(column).name()).isNull();
        }

        Row min = rows.get(2);
        assertThat(min.get("b")).isEqualTo(false);
        assertThat(min.get("t")).isEqualTo("");
        assertThat(min.get("vc")).isEqualTo(" ");
        assertThat(min.get("ch")).isEqualTo("a  ");
        assertThat(min.get("si")).isEqualTo((short) -32768);
        assertThat(min.get("i")).isEqualTo(Integer.MIN_VALUE);
        assertThat(min.get("bi")).isEqualTo(-9223372036854775807L);
        assertThat(min.get("r")).isEqualTo(-Float.MIN_VALUE);
        assertThat(min.get("d")).isEqualTo(-Double.MIN_VALUE);
        assertThat((BigDecimal) min.get("n")).isEqualByComparingTo("-0.001");
        assertThat(min.get("ts")).isEqualTo(Instant.EPOCH);
        assertThat(min.get("tsn")).isEqualTo(LocalDateTime.parse("1969-12-31T23:59:59.999"));
        assertThat(min.get("ip")).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThat((Map<?, ?>) min.get("o")).isEmpty();
        assertThat((Map<?, ?>) min.get("oi")).isEmpty();
        assertThat((double[]) min.get("gp")).containsExactly(new double[] {-180, -90}, within(1e-6));
        Map<?, ?> point = (Map<?, ?>) min.get("gs");
        assertThat(point.get("type")).isEqualTo("Point");
        assertThat((List<?>) point.get("coordinates")).extracting(c -> ((Number) c).doubleValue()).containsExactly(1.5, 2.5);
        assertThat((List<?>) min.get("ai")).isEmpty();
        assertThat((List<?>) min.get("at")).isEmpty();
        assertThat((List<?>) min.get("ao")).isEmpty();
        assertThat(min.get("aai")).isEqualTo(List.of(List.of()));
        assertThat(min.get("bits")).isEqualTo("B'0000'");
        assertThat((float[]) min.get("fv")).containsExactly(0f, 0f, 0f);
        assertThat(min.get("n38")).isEqualTo(new BigDecimal("-99999999999999999999999999999999.999999"));
        assertThat(min.get("u", UUID.class)).isEqualTo(new UUID(0, 0));
    }

    @Test
    void nanAndInfinitiesRoundTripInRealAndDoubleColumns(CrateDb db) {
        String table = db.newTable("it_special");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, r REAL, d DOUBLE PRECISION)"
            + " WITH (number_of_replicas = 0)");
        CrateClient client = db.client();
        String insert = "INSERT INTO " + table + " (id, r, d) VALUES (?, ?, ?)";
        StepVerifier.create(client.execute(insert, 1, Float.NaN, Double.NaN)
                .then(client.execute(insert, 2, Float.POSITIVE_INFINITY, Double.POSITIVE_INFINITY))
                .then(client.execute(insert, 3, Float.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY)))
            .assertNext(result -> assertThat(result.rowCount()).isEqualTo(1))
            .expectComplete()
            .verify(TIMEOUT);
        db.refresh(table);

        StepVerifier.create(client.sql("SELECT r, d FROM " + table + " ORDER BY id"))
            .assertNext(row -> {
                assertThat((Float) row.get("r")).isNaN();
                assertThat((Double) row.get("d")).isNaN();
            })
            .assertNext(row -> {
                assertThat(row.get("r")).isEqualTo(Float.POSITIVE_INFINITY);
                assertThat(row.get("d")).isEqualTo(Double.POSITIVE_INFINITY);
            })
            .assertNext(row -> {
                assertThat(row.get("r")).isEqualTo(Float.NEGATIVE_INFINITY);
                assertThat(row.get("d")).isEqualTo(Double.NEGATIVE_INFINITY);
            })
            .expectComplete()
            .verify(TIMEOUT);
    }

    /**
     * getLong, getInt and getDouble read numbers and timestamps as the server sent them (rows of up to eight columns
     * keep them unboxed), convert like {@code get(i, Class)} otherwise, and refuse NULL naming the column.
     */
    @Test
    void primitiveAccessorsReadServerValues(CrateDb db) {
        String table = db.newTable("it_unboxed");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, si SMALLINT, bi BIGINT, r REAL,"
            + " d DOUBLE PRECISION, ts TIMESTAMP WITH TIME ZONE, t TEXT) WITH (number_of_replicas = 0)");
        CrateClient client = db.client();
        String insert = "INSERT INTO " + table + " (id, si, bi, r, d, ts, t) VALUES (?, ?, ?, ?, ?, ?, ?)";
        StepVerifier.create(client.execute(insert, 1, (short) -32768, Long.MIN_VALUE + 1, 1.5f, 0.1,
                    Instant.ofEpochMilli(1_700_000_000_123L), "a")
                .then(client.execute(insert, 2, null, null, null, null, null, null))
                .then(client.execute(insert, 3, (short) 7, 9_007_199_254_740_993L, Float.NaN,
                    Double.NEGATIVE_INFINITY, Instant.ofEpochMilli(-1), "b")))
            .assertNext(result -> assertThat(result.rowCount()).isEqualTo(1))
            .expectComplete()
            .verify(TIMEOUT);
        db.refresh(table);

        StepVerifier.create(client.sql("SELECT id, si, bi, r, d, ts, t FROM " + table + " ORDER BY id"))
            .assertNext(row -> {
                assertThat(row.getInt("id")).isEqualTo(1);
                assertThat(row.getInt("si")).isEqualTo(-32768);
                assertThat(row.getLong("bi")).isEqualTo(Long.MIN_VALUE + 1);
                assertThat(row.getDouble("r")).isEqualTo(1.5);
                assertThat(row.getDouble("d")).isEqualTo(0.1);
                assertThat(row.getLong("ts")).isEqualTo(1_700_000_000_123L);
                assertThat(row.get("ts")).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
                assertThat(row.get("si")).isEqualTo((short) -32768);
                assertThat(row.get("r")).isEqualTo(1.5f);
            })
            .assertNext(row -> {
                assertThat(row.get("bi")).isNull();
                assertThat(row.get("d")).isNull();
                assertThatThrownBy(() -> row.getLong("bi")).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("column 'bi' is NULL");
                assertThatThrownBy(() -> row.getDouble("d")).isInstanceOf(NullPointerException.class);
            })
            .assertNext(row -> {
                assertThat(row.getLong("bi")).isEqualTo(9_007_199_254_740_993L);
                assertThatThrownBy(() -> row.getDouble("bi")).as("2^53 + 1 has no exact double")
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 'bi' (BIGINT)");
                assertThat(row.getDouble("r")).isNaN();
                assertThat(row.getDouble("d")).isEqualTo(Double.NEGATIVE_INFINITY);
                assertThat(row.getLong("ts")).isEqualTo(-1L);
            })
            .expectComplete()
            .verify(TIMEOUT);
    }

    /** A DATE in a narrow result is kept unboxed (epoch milliseconds) and read back as the server sent it. */
    @Test
    void dateInANarrowResultIsKeptUnboxed(CrateClient client) {
        StepVerifier.create(client.sql("SELECT ?::date AS dt, ?::date AS none, 7::bigint AS n",
                LocalDate.of(2024, 2, 29), null))
            .assertNext(row -> {
                assertThat(row.getClass().getName()).as("the unboxed row layout").contains("MixedRows");
                assertThat(row.get("dt")).isEqualTo(LocalDate.of(2024, 2, 29));
                assertThat(row.getLong("dt")).isEqualTo(LocalDate.of(2024, 2, 29).toEpochDay() * 86_400_000L);
                assertThat(row.get("none")).isNull();
                assertThatThrownBy(() -> row.getLong("none")).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("column 'none' is NULL");
                assertThat(row.getLong("n")).isEqualTo(7L);
            })
            .expectComplete()
            .verify(TIMEOUT);
    }

    /** TIMETZ, INTERVAL, JSON, DATE and unbounded NUMERIC exist in expressions (TIMETZ cannot be a column type). */
    @Test
    void expressionOnlyTypesDecodeFromParameterCasts(CrateClient client) {
        String exact = "123456789012345678901234567890.123";
        StepVerifier.create(client.sql("SELECT ?::timetz AS ttz, ?::interval AS iv, ?::json AS js, ?::date AS dt,"
                    + " ?::numeric AS big, 'NaN'::double AS nan_d, '-Infinity'::real AS ninf_r",
                OffsetTime.parse("13:00:00.123456+02:00"), "1 day 2 hours 3 seconds", "{\"a\":[1,2]}",
                LocalDate.of(2024, 2, 29), exact))
            .assertNext(row -> {
                assertThat(row.metadata().columns()).extracting(ColumnMetadata::type).containsExactly(
                    CrateType.TIMETZ, CrateType.INTERVAL, CrateType.JSON, CrateType.DATE, CrateType.NUMERIC,
                    CrateType.DOUBLE, CrateType.REAL);
                assertThat(row.get("ttz")).isEqualTo(OffsetTime.of(13, 0, 0, 123_456_000, ZoneOffset.ofHours(2)));
                assertThat(row.get("iv")).isEqualTo("1 day 02:00:03");
                assertThat(row.get("js")).isEqualTo("{\"a\":[1,2]}");
                assertThat(row.get("dt")).isEqualTo(LocalDate.of(2024, 2, 29));
                assertThat(row.get("big")).as("NUMERIC beyond double precision, from the exact token")
                    .isEqualTo(new BigDecimal(exact));
                assertThat((Double) row.get("nan_d")).isNaN();
                assertThat(row.get("ninf_r")).isEqualTo(Float.NEGATIVE_INFINITY);
            })
            .expectComplete()
            .verify(TIMEOUT);
    }

    /** DATE, TIMETZ, INTERVAL and JSON exist only in expressions: CrateDB 6.4.3 refuses them as column types. */
    @ParameterizedTest
    @ValueSource(strings = {"DATE", "TIMETZ", "INTERVAL", "JSON"})
    void typesWithoutStorageAreRejectedAsColumnTypes(String type, CrateDb db) {
        String table = db.newTable("it_nostore");
        StepVerifier.create(db.client().execute("CREATE TABLE " + table + " (v " + type + ")"))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateSqlException.class);
                assertThat(((CrateSqlException) error).errorCode()).isEqualTo(4004);
                assertThat(error.getMessage()).contains("does not support storage");
            })
            .verify(TIMEOUT);
    }

    private static List<List<Double>> points(List<?> ring) {
        return ring.stream()
            .map(point -> ((List<?>) point).stream().map(c -> ((Number) c).doubleValue()).toList())
            .toList();
    }
}
