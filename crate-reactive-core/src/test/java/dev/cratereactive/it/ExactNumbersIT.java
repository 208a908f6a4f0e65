package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateSqlException;
import dev.cratereactive.Row;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.RealCrateDb;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Exact numbers in both directions against a real CrateDB: BigDecimal and BigInteger parameters keep every digit
 * in NUMERIC columns and {@code ?::numeric}, still work against DOUBLE, INTEGER and BIGINT columns and in
 * arithmetic, and longs stay exact beyond 2^53. Transcripts {@code numeric-param-*} show the JSON forms involved.
 */
@RealCrateDb
class ExactNumbersIT {

    private static final Duration TIMEOUT = CrateDb.TIMEOUT;
    private static final BigDecimal BEYOND_DOUBLE = new BigDecimal("12345678901234567890.123456");

    /** The silent data loss reported in issue 8: 12345678901234567000.000000 was stored. */
    @Test
    void bigDecimalBeyondDoublePrecisionIsStoredInNumericWithEveryDigit(CrateDb db) {
        String table = db.newTable("it_numeric");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, n NUMERIC(38,6)) WITH (number_of_replicas = 0)");

        StepVerifier.create(db.client().execute("INSERT INTO " + table + " (id, n) VALUES (?, ?)", 1, BEYOND_DOUBLE))
            .assertNext(result -> assertThat(result.rowCount()).isEqualTo(1))
            .expectComplete()
            .verify(TIMEOUT);
        db.refresh(table);

        Row row = db.query("SELECT n FROM " + table + " WHERE id = 1").get(0);
        assertThat(row.get("n")).isEqualTo(new BigDecimal("12345678901234567890.123456"));
        assertThat(db.query("SELECT id FROM " + table + " WHERE n = ?", BEYOND_DOUBLE))
            .as("found again by an exact comparison").hasSize(1);
        assertThat(db.query("SELECT id FROM " + table + " WHERE n = ?", BEYOND_DOUBLE.add(new BigDecimal("0.000001"))))
            .as("a value one digit off is a different value").isEmpty();
    }

    @Test
    void exactNumbersReachNumericColumnsArraysObjectsAndCastsWithEveryDigit(CrateDb db) {
        String table = db.newTable("it_numeric_all");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, n0 NUMERIC(38,0), n20 NUMERIC(38,20),"
            + " an ARRAY(NUMERIC(38,6)), o OBJECT AS (x NUMERIC(38,6))) WITH (number_of_replicas = 0)");
        BigInteger digits38 = new BigInteger("12345678901234567890123456789012345678");
        BigDecimal tiny = new BigDecimal("0.10000000000000000001");
        db.execute("INSERT INTO " + table + " (id, n0, n20, an, o) VALUES (?, ?, ?, ?, ?)", 1, digits38, tiny,
            List.of(BEYOND_DOUBLE, new BigDecimal("1.5")), Map.of("x", BEYOND_DOUBLE));
        db.execute("INSERT INTO " + table + " (id, n0, n20) VALUES (?, ?, ?)", 2, digits38.negate(),
            new BigDecimal("0.1"));
        db.refresh(table);

        List<Row> rows = db.query("SELECT n0, n20, an, o['x'] AS x FROM " + table + " ORDER BY id");
        assertThat(rows.get(0).get("n0")).isEqualTo(new BigDecimal(digits38));
        assertThat(rows.get(0).get("n20")).isEqualTo(tiny);
        assertThat(rows.get(0).get("an")).isEqualTo(List.of(BEYOND_DOUBLE, new BigDecimal("1.500000")));
        assertThat(rows.get(0).get("x")).isEqualTo(BEYOND_DOUBLE);
        assertThat(rows.get(1).get("n0")).isEqualTo(new BigDecimal(digits38.negate()));
        assertThat(rows.get(1).get("n20")).as("0.1 as a number is the double 0.1, stored as its shortest form")
            .isEqualTo(new BigDecimal("0.10000000000000000000"));

        BigDecimal digits30 = new BigDecimal("123456789012345678901234567890.123");
        StepVerifier.create(db.client().sql("SELECT ?::numeric AS d, ?::numeric AS i, ?::numeric + 1 AS plus,"
                + " ?::numeric(38,6) AS scaled", digits30, digits38, BEYOND_DOUBLE, BEYOND_DOUBLE))
            .assertNext(row -> {
                assertThat(row.get("d")).isEqualTo(digits30);
                assertThat(row.get("i")).isEqualTo(new BigDecimal(digits38));
                assertThat(row.get("plus")).isEqualTo(new BigDecimal("12345678901234567891.123456"));
                assertThat(row.get("scaled")).isEqualTo(BEYOND_DOUBLE);
            })
            .expectComplete()
            .verify(TIMEOUT);
    }

    @Test
    void bigDecimalsStillWorkWithDoubleIntegerAndBigintColumnsAndInArithmetic(CrateDb db) {
        String table = db.newTable("it_numeric_other");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, d DOUBLE, i INTEGER, b BIGINT, r REAL)"
            + " WITH (number_of_replicas = 0)");
        db.execute("INSERT INTO " + table + " (id, d, i, b, r) VALUES (?, ?, ?, ?, ?)", 1, new BigDecimal("0.1"),
            new BigDecimal("42.0"), new BigDecimal("9007199254740993"), new BigDecimal("1.5"));
        db.execute("INSERT INTO " + table + " (id, d, i, b) VALUES (?, ?, ?, ?)", 2, BEYOND_DOUBLE,
            BigInteger.valueOf(7), BigInteger.valueOf(Long.MAX_VALUE - 1));
        db.refresh(table);

        List<Row> rows = db.query("SELECT d, i, b, r FROM " + table + " ORDER BY id");
        assertThat(rows.get(0).get("d")).isEqualTo(0.1);
        assertThat(rows.get(0).get("i")).isEqualTo(42);
        assertThat(rows.get(0).get("b")).isEqualTo(9007199254740993L);
        assertThat(rows.get(0).get("r")).isEqualTo(1.5f);
        assertThat(rows.get(1).get("d")).as("a DOUBLE column holds the nearest double").isEqualTo(1.2345678901234567E19);
        assertThat(rows.get(1).get("i")).isEqualTo(7);
        assertThat(rows.get(1).get("b")).isEqualTo(Long.MAX_VALUE - 1);

        assertThat(db.query("SELECT id FROM " + table + " WHERE d < ? AND b >= ? ORDER BY id", BEYOND_DOUBLE,
            new BigDecimal("9007199254740993"))).extracting(row -> row.get("id")).containsExactly(1);

        StepVerifier.create(db.client().sql("SELECT ? + 1 AS plus, ? * 2 AS times, ? > 1 AS gt, ? / 4 AS div",
                new BigDecimal("1.5"), new BigDecimal("1.25"), new BigDecimal("1.5"), new BigDecimal("42")))
            .assertNext(row -> {
                assertThat(row.get("plus")).isEqualTo(2.5);
                assertThat(row.get("times")).isEqualTo(2.5);
                assertThat(row.get("gt")).isEqualTo(true);
                assertThat(row.get("div")).isEqualTo(10);
            })
            .expectComplete()
            .verify(TIMEOUT);
    }

    /** Where CrateDB would have to guess, a value beyond double fails loudly instead of losing digits. */
    @Test
    void untypedArithmeticOnAValueBeyondDoubleFailsInsteadOfRounding(CrateDb db) {
        StepVerifier.create(db.client().sql("SELECT ? + 1 AS plus", BEYOND_DOUBLE))
            .expectErrorSatisfies(error -> {
                assertThat(error).isInstanceOf(CrateSqlException.class);
                assertThat(error.getMessage()).contains("Cannot cast value");
            })
            .verify(TIMEOUT);
    }

    @Test
    void longsBeyond2pow53AndTheLongExtremesStayExact(CrateDb db) {
        long beyond = (1L << 53) + 1;
        StepVerifier.create(db.client().sql("SELECT ? AS max, ? AS min, ? AS beyond, ? + 1 AS plus, ?::numeric AS n",
                Long.MAX_VALUE, Long.MIN_VALUE, beyond, beyond, Long.MAX_VALUE))
            .assertNext(row -> {
                assertThat(row.get("max")).isEqualTo(Long.MAX_VALUE);
                assertThat(row.get("min")).isEqualTo(Long.MIN_VALUE);
                assertThat(row.get("beyond")).isEqualTo(beyond);
                assertThat(row.get("plus")).isEqualTo(beyond + 1);
                assertThat(row.get("n")).isEqualTo(BigDecimal.valueOf(Long.MAX_VALUE));
            })
            .expectComplete()
            .verify(TIMEOUT);

        String table = db.newTable("it_longs");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, b BIGINT, n NUMERIC(38,0))"
            + " WITH (number_of_replicas = 0)");
        db.execute("INSERT INTO " + table + " (id, b, n) VALUES (?, ?, ?), (?, ?, ?)", 1, beyond, Long.MAX_VALUE,
            2, -beyond, Long.MIN_VALUE);
        db.refresh(table);
        List<Row> rows = db.query("SELECT b, n FROM " + table + " ORDER BY id");
        assertThat(rows.get(0).get("b")).isEqualTo(beyond);
        assertThat(rows.get(0).get("n")).isEqualTo(BigDecimal.valueOf(Long.MAX_VALUE));
        assertThat(rows.get(1).get("b")).isEqualTo(-beyond);
        assertThat(rows.get(1).get("n")).isEqualTo(BigDecimal.valueOf(Long.MIN_VALUE));

        // A server limit, not the client's: BIGINT columns refuse the two extremes (bigint-rejects-long-max).
        StepVerifier.create(db.client().execute("INSERT INTO " + table + " (id, b) VALUES (?, ?)", 3, Long.MAX_VALUE))
            .expectErrorSatisfies(error -> assertThat(error.getMessage()).contains("exceeds allowed range"))
            .verify(TIMEOUT);
    }
}
