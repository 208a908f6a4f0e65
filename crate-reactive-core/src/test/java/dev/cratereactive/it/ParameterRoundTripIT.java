package dev.cratereactive.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.BulkResult;
import dev.cratereactive.Row;
import dev.cratereactive.testing.CrateDb;
import dev.cratereactive.testing.RealCrateDb;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.time.api.Dates;
import net.jqwik.time.api.DateTimes;
import net.jqwik.time.api.Times;
import org.junit.jupiter.api.Test;

/**
 * The encoder's round-trip property against a real CrateDB: {@value #TRIES} arbitrary values per Java type (jqwik
 * generators, edge cases included) are bulk-inserted as parameters into a column of the matching CrateDB type and
 * read back; each must come back equal (after the column's documented precision: milliseconds for timestamps,
 * microseconds for TIMETZ, the NUMERIC scale). A mismatch names the type, the row and both values.
 */
@RealCrateDb
class ParameterRoundTripIT {

    static final int TRIES = 300;

    /** One Java type, its column, how to generate it and what the column makes of it. */
    record Case<T>(String name, String column, Arbitrary<T> values, Class<?> readAs, Function<T, Object> expected,
                   BiPredicate<Object, Object> equal) {
        static <T> Case<T> of(String name, String column, Arbitrary<T> values, Class<?> readAs) {
            return new Case<>(name, column, values, readAs, v -> v, Objects::equals);
        }
    }

    @Test
    void everySupportedTypeRoundTripsThroughATypedColumn(CrateDb db) {
        List<Case<?>> cases = List.of(
            Case.of("Boolean", "BOOLEAN", Arbitraries.of(true, false), Boolean.class),
            Case.of("String", "TEXT", Arbitraries.strings().ofMaxLength(60)
                .filter(s -> s.chars().noneMatch(ch -> Character.isSurrogate((char) ch))), String.class),
            Case.of("Short", "SMALLINT", Arbitraries.shorts(), Short.class),
            Case.of("Integer", "INTEGER", Arbitraries.integers(), Integer.class),
            // BIGINT refuses Long.MIN_VALUE and Long.MAX_VALUE (README, exact numbers): ExactNumbersIT checks that.
            Case.of("Long", "BIGINT", Arbitraries.longs().between(Long.MIN_VALUE + 1, Long.MAX_VALUE - 1), Long.class),
            Case.of("Double", "DOUBLE", Arbitraries.doubles().withSpecialValue(Double.NaN)
                .withSpecialValue(Double.POSITIVE_INFINITY).withSpecialValue(Double.NEGATIVE_INFINITY), Double.class),
            Case.of("Float", "REAL", Arbitraries.floats().withSpecialValue(Float.NaN)
                .withSpecialValue(Float.NEGATIVE_INFINITY), Float.class),
            new Case<>("BigDecimal", "NUMERIC(38,10)", decimals(), BigDecimal.class, v -> v.setScale(10),
                (a, b) -> ((BigDecimal) a).compareTo((BigDecimal) b) == 0),
            Case.of("BigInteger", "NUMERIC(38,0)", Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(37).negate(), BigInteger.TEN.pow(37)), BigInteger.class),
            new Case<>("Instant", "TIMESTAMP WITH TIME ZONE", DateTimes.instants()
                .between(Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z")),
                Instant.class, v -> v.truncatedTo(ChronoUnit.MILLIS), Objects::equals),
            new Case<>("LocalDateTime", "TIMESTAMP WITHOUT TIME ZONE", DateTimes.dateTimes()
                .between(LocalDateTime.of(1, 1, 1, 0, 0), LocalDateTime.of(9999, 12, 31, 23, 59)),
                LocalDateTime.class, v -> v.truncatedTo(ChronoUnit.MILLIS), Objects::equals),
            Case.of("LocalDate", "DATE", Dates.dates().between(LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31)),
                LocalDate.class),
            new Case<>("OffsetTime", "TIMETZ", Combinators.combine(Times.times(),
                    Arbitraries.integers().between(-14 * 60, 14 * 60).map(m -> ZoneOffset.ofTotalSeconds(m * 60)))
                .as(java.time.LocalTime::atOffset), OffsetTime.class, v -> v.truncatedTo(ChronoUnit.MICROS),
                Objects::equals),
            Case.of("UUID", "TEXT", Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new),
                UUID.class),
            Case.of("InetAddress", "IP", Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.bytes().array(byte[].class).ofSize(16)).map(ParameterRoundTripIT::address), InetAddress.class),
            Case.of("Map", "OBJECT(IGNORED)", Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().ofMaxLength(10).filter(s -> s.chars().noneMatch(ch -> Character.isSurrogate((char) ch)))).ofMaxSize(4),
                Map.class),
            Case.of("List<Integer>", "ARRAY(INTEGER)", Arbitraries.integers().list().ofMaxSize(6), List.class));

        List<String> mismatches = new ArrayList<>();
        for (Case<?> c : cases) {
            mismatches.addAll(roundTrip(db, c));
        }
        assertThat(mismatches).as("values that did not come back equal").isEmpty();
    }

    /** DATE and TIMETZ cannot be stored in a table (CrateDB: "does not support storage"): they go through a cast. */
    private static boolean castOnly(Case<?> c) {
        return c.column().equals("DATE") || c.column().equals("TIMETZ");
    }

    private static <T> List<String> roundTrip(CrateDb db, Case<T> c) {
        List<String> mismatches = new ArrayList<>();
        if (castOnly(c)) {
            List<T> values = values(c);
            for (T value : values) {
                Object actual = db.query("SELECT ?::" + c.column() + " AS v", value).get(0).get(0, c.readAs());
                Object expected = c.expected().apply(value);
                if (!c.equal().test(expected, actual)) {
                    mismatches.add(c.name() + " as ?::" + c.column() + ": sent " + value + ", read " + actual);
                }
            }
            System.out.printf("round trip %-14s ?::%-25s %d values%n", c.name(), c.column(), values.size());
            return mismatches;
        }
        String table = db.newTable("it_roundtrip");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, v " + c.column() + ") WITH (number_of_replicas = 0)");
        List<T> values = values(c);
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            rows.add(List.of(i, values.get(i)));
        }
        BulkResult result = db.client().bulk("INSERT INTO " + table + " (id, v) VALUES (?, ?)", rows).block(CrateDb.TIMEOUT);
        assertThat(result).isNotNull();
        for (int i = 0; i < result.results().size(); i++) {
            if (result.results().get(i).rowCount() != 1) {
                mismatches.add(c.name() + " row " + i + " " + values.get(i) + " was refused: " + result.results().get(i));
            }
        }
        db.refresh(table);
        List<Row> read = db.query("SELECT id, v FROM " + table + " ORDER BY id");
        for (Row row : read) {
            int id = row.get("id", Integer.class);
            Object actual = row.get(1, c.readAs());
            Object expected = c.expected().apply(values.get(id));
            if (!c.equal().test(expected, actual)) {
                mismatches.add(c.name() + " in " + c.column() + " row " + id + ": sent " + values.get(id) + ", expected "
                    + expected + ", read " + actual);
            }
        }
        System.out.printf("round trip %-14s %-28s %d values, %d rows read back%n", c.name(), c.column(), values.size(),
            read.size());
        return mismatches;
    }

    /** The generator's edge cases first (min, max, zero, NaN, empty...), then random values: {@value #TRIES}. */
    private static <T> List<T> values(Case<T> c) {
        List<T> values = new ArrayList<>(edgeCases(c.values()).stream().limit(TRIES / 5).toList());
        c.values().sampleStream().limit(TRIES - values.size()).forEach(values::add);
        return values;
    }

    private static <T> List<T> edgeCases(Arbitrary<T> values) {
        List<T> edges = new ArrayList<>();
        values.edgeCases().forEach(shrinkable -> edges.add(shrinkable.value()));
        return edges;
    }

    private static Arbitrary<BigDecimal> decimals() {
        // NUMERIC(38,10): 28 digits before the point, 10 after.
        return Combinators.combine(Arbitraries.bigIntegers().between(BigInteger.TEN.pow(27).negate(), BigInteger.TEN.pow(27)),
                Arbitraries.integers().between(0, 10))
            .as((unscaled, scale) -> new BigDecimal(unscaled, scale).setScale(Math.min(scale, 10), RoundingMode.UNNECESSARY))
            .edgeCases(e -> e.add(new BigDecimal("0.1"), new BigDecimal("1.5"), new BigDecimal("123456789012345678.1234567891")));
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SELECT ?::type for a sample of exact numbers and texts: the parameter as CrateDB casts it, no table. */
    @Test
    void castsInSelectKeepExactNumbersAndText(CrateDb db) {
        List<BigDecimal> decimals = decimals().sampleStream().limit(100).collect(Collectors.toList());
        List<String> mismatches = new ArrayList<>();
        for (BigDecimal value : decimals) {
            BigDecimal read = db.query("SELECT ?::numeric AS n", value).get(0).get("n", BigDecimal.class);
            if (read.compareTo(value) != 0) {
                mismatches.add("sent " + value + ", read " + read);
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
