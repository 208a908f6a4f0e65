package dev.cratereactive.internal.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.Row;
import dev.cratereactive.internal.codec.RequestEncoder;
import dev.cratereactive.internal.codec.ResponseDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import dev.cratereactive.CrateClient;
import dev.cratereactive.testing.CrateTestServer;
import reactor.test.StepVerifier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.time.api.DateTimes;
import net.jqwik.time.api.Dates;
import net.jqwik.time.api.Times;

/**
 * Properties of the parameter encoder and the value mapping: every supported Java value is written by
 * {@link ParameterWriter} (through {@link RequestEncoder}, as the client sends it) to JSON that reads back as
 * the same value, either through the {@link ResponseDecoder} and {@link Conversions} with the column type CrateDB
 * answers with (where CrateDB echoes the token unchanged), or by the parse CrateDB applies (ISO text, exact
 * numbers). Every refused value fails with an {@link IllegalArgumentException} that names its class and never
 * its text. {@code ParameterRoundTripIT} runs the same generators against a real CrateDB.
 */
class ParameterRoundTripPropertiesTest {

    /** The JSON the client sends for one parameter: {@code args[0]} of the request body, verbatim. */
    static String json(Object value) {
        String body = new String(RequestEncoder.statement("s", java.util.Collections.singletonList(value)),
            StandardCharsets.UTF_8);
        String prefix = "{\"stmt\":\"s\",\"args\":[";
        assertThat(body).startsWith(prefix).endsWith("]}");
        return body.substring(prefix.length(), body.length() - 2);
    }

    /** Decodes {@code json} as the one cell of a response whose column has type id(s) {@code typeJson}. */
    static <T> T decode(String typeJson, String json, Class<T> type) {
        String body = "{\"cols\":[\"c\"],\"col_types\":[" + typeJson + "],\"rows\":[[" + json + "]],\"rowcount\":1}";
        ByteBuf chunk = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        try {
            ResponseDecoder decoder = new ResponseDecoder(ResponseDecoder.Mode.ROWS);
            List<Row> rows = new ArrayList<>(decoder.feed(chunk));
            decoder.finish();
            assertThat(rows).hasSize(1);
            return rows.get(0).get(0, type);
        } finally {
            chunk.release();
        }
    }

    private static String unquoted(String json) {
        assertThat(json).startsWith("\"").endsWith("\"");
        return json.substring(1, json.length() - 1);
    }

    @Property
    void booleans(@ForAll boolean value) {
        assertThat(decode("3", json(value), Boolean.class)).isEqualTo(value);
    }

    @Property
    void strings(@ForAll String value) {
        assertThat(decode("4", json(value), String.class)).isEqualTo(value);
    }

    @Property
    void unicodeStringsWithSurrogatePairs(@ForAll("unicode") String value) {
        assertThat(decode("4", json(value), String.class)).isEqualTo(value);
    }

    @Provide
    Arbitrary<String> unicode() {
        return Arbitraries.strings().withCharRange(Character.MIN_VALUE, Character.MAX_VALUE).ofMaxLength(40)
            .filter(ParameterRoundTripPropertiesTest::wellFormed)
            .injectDuplicates(0.0)
            .edgeCases(edges -> edges.add("\uD83D\uDE00\u0000\"\\\n\u2028"));
    }

    /** Java strings may hold lone surrogates, which are no text; UTF-8 (and CrateDB) cannot carry them. */
    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    @Property
    void characters(@ForAll char value) {
        if (Character.isSurrogate(value)) {
            return;
        }
        assertThat(decode("4", json(value), String.class)).isEqualTo(String.valueOf(value));
    }

    @Property
    void shorts(@ForAll short value) {
        assertThat(decode("8", json(value), Short.class)).isEqualTo(value);
    }

    @Property
    void integers(@ForAll int value) {
        assertThat(decode("9", json(value), Integer.class)).isEqualTo(value);
    }

    @Property
    void longs(@ForAll long value) {
        assertThat(decode("10", json(value), Long.class)).isEqualTo(value);
    }

    @Property
    void doublesIncludingNaNAndInfinities(@ForAll double value) {
        assertThat(decode("6", json(value), Double.class)).isEqualTo(value);
    }

    @Property
    void floatsIncludingNaNAndInfinities(@ForAll float value) {
        assertThat(decode("7", json(value), Float.class)).isEqualTo(value);
    }

    /**
     * A BigDecimal goes out as a JSON number only when CrateDB reads that number (a long, or a double printed
     * shortest) as the same value; otherwise as the string of its plain digits, which is the value exactly.
     */
    @Property
    void bigDecimalsAreExactWhetherNumberOrString(@ForAll("decimals") BigDecimal value) {
        String json = json(value);
        if (json.startsWith("\"")) {
            assertThat(ParameterWriter.readsBackExactly(value)).isFalse();
            assertThat(new BigDecimal(unquoted(json))).isEqualByComparingTo(value);
            assertThat(unquoted(json)).doesNotContain("E", "e");
        } else {
            assertThat(json).doesNotContain("E", "e");
            assertThat(serverReading(json)).as("what CrateDB makes of %s", json).isEqualByComparingTo(value);
            assertThat(decode("22", json, BigDecimal.class)).isEqualByComparingTo(value);
        }
    }

    /** CrateDB 6.4 reads a JSON integer as a long and a fraction as a double it then prints shortest. */
    static BigDecimal serverReading(String number) {
        if (number.contains(".")) {
            return new BigDecimal(Double.toString(Double.parseDouble(number)));
        }
        return BigDecimal.valueOf(Long.parseLong(number));
    }

    @Provide
    Arbitrary<BigDecimal> decimals() {
        Arbitrary<BigInteger> unscaled = Arbitraries.oneOf(
            Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)),
            Arbitraries.longs().map(BigInteger::valueOf),
            Arbitraries.integers().between(-1000, 1000).map(BigInteger::valueOf));
        return Combinators.combine(unscaled, Arbitraries.integers().between(-5, 30))
            .as(BigDecimal::new)
            .edgeCases(edges -> edges.add(new BigDecimal("12345678901234567890.123456"), new BigDecimal("0.1"),
                new BigDecimal("1E+3"), BigDecimal.valueOf(Long.MAX_VALUE).add(BigDecimal.ONE)));
    }

    @Property
    void bigIntegersAreExactWhetherNumberOrString(@ForAll("bigIntegers") BigInteger value) {
        String json = json(value);
        if (json.startsWith("\"")) {
            assertThat(value.bitLength()).isGreaterThanOrEqualTo(Long.SIZE);
            assertThat(new BigInteger(unquoted(json))).isEqualTo(value);
        } else {
            assertThat(Long.parseLong(json)).isEqualTo(value.longValueExact());
            assertThat(decode("22", json, BigInteger.class)).isEqualTo(value);
        }
    }

    @Provide
    Arbitrary<BigInteger> bigIntegers() {
        return Arbitraries.bigIntegers().between(BigInteger.TEN.pow(38).negate(), BigInteger.TEN.pow(38))
            .edgeCases(edges -> edges.add(BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE),
                BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE)));
    }

    @Property
    void otherNumbersGoByTheirExactText(@ForAll long value) {
        assertThat(decode("10", json(new AtomicLong(value)), Long.class)).isEqualTo(value);
    }

    @Property
    void instantsAsEpochMillis(@ForAll("instants") Instant value) {
        Instant expected = value.truncatedTo(ChronoUnit.MILLIS);
        assertThat(decode("11", json(value), Instant.class)).isEqualTo(expected);
        assertThat(decode("11", json(value.atOffset(ZoneOffset.ofHours(5))), Instant.class)).isEqualTo(expected);
        assertThat(decode("11", json(value.atZone(ZoneId.of("Europe/Vienna"))), Instant.class)).isEqualTo(expected);
        assertThat(decode("11", json(Date.from(value)), Date.class)).isEqualTo(Date.from(expected));
    }

    @Provide
    Arbitrary<Instant> instants() {
        // CrateDB's timestamps span years -292275054 .. 292278993 (epoch ms in a long); keep to 4 digit years.
        return DateTimes.instants().between(Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Example
    void instantsBeyondEpochMillisAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> json(Instant.MAX)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("parameter 1").hasMessageContaining("beyond the range of epoch milliseconds");
    }

    @Property
    void localDatesAsIsoText(@ForAll("dates") LocalDate value) {
        assertThat(LocalDate.parse(unquoted(json(value)))).isEqualTo(value);
    }

    @Provide
    Arbitrary<LocalDate> dates() {
        return Dates.dates().between(LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31));
    }

    @Property
    void localDateTimesAsIsoTextWithSeconds(@ForAll("dateTimes") LocalDateTime value) {
        String text = unquoted(json(value));
        assertThat(text).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?");
        assertThat(LocalDateTime.parse(text)).isEqualTo(value);
    }

    @Provide
    Arbitrary<LocalDateTime> dateTimes() {
        return DateTimes.dateTimes().between(LocalDateTime.of(1, 1, 1, 0, 0), LocalDateTime.of(9999, 12, 31, 23, 59));
    }

    @Property
    void timesAsIsoText(@ForAll("times") LocalTime value, @ForAll("offsets") ZoneOffset offset) {
        assertThat(LocalTime.parse(unquoted(json(value)))).isEqualTo(value);
        OffsetTime withOffset = value.atOffset(offset);
        assertThat(OffsetTime.parse(unquoted(json(withOffset)))).isEqualTo(withOffset);
    }

    @Provide
    Arbitrary<LocalTime> times() {
        return Times.times();
    }

    @Provide
    Arbitrary<ZoneOffset> offsets() {
        return Arbitraries.integers().between(-14 * 3600, 14 * 3600).map(ZoneOffset::ofTotalSeconds);
    }

    @Property
    void uuidsAsText(@ForAll long high, @ForAll long low) {
        UUID value = new UUID(high, low);
        assertThat(decode("4", json(value), UUID.class)).isEqualTo(value);
    }

    @Property
    void ipAddressesAsLiteralText(@ForAll @Size(min = 4, max = 4) byte[] v4, @ForAll @Size(min = 16, max = 16) byte[] v6)
        throws UnknownHostException {
        for (byte[] bytes : List.of(v4, v6)) {
            InetAddress value = InetAddress.getByAddress(bytes);
            assertThat(decode("5", json(value), InetAddress.class)).isEqualTo(value);
        }
    }

    @Property
    void mapsAsObjects(@ForAll Map<@net.jqwik.api.constraints.StringLength(max = 10) String, String> value) {
        Map<?, ?> decoded = decode("12", json(value), Map.class);
        assertThat(decoded).isEqualTo(value);
    }

    @Property
    void collectionsAndArraysAsArrays(@ForAll List<Integer> value) {
        assertThat(decode("[100,9]", json(value), List.class)).isEqualTo(value);
        int[] ints = value.stream().mapToInt(Integer::intValue).toArray();
        assertThat(decode("[100,9]", json(ints), List.class)).isEqualTo(value);
        assertThat(decode("[100,9]", json(value.toArray(new Integer[0])), List.class)).isEqualTo(value);
    }

    @Property
    void nestedArraysOfLongs(@ForAll List<@Size(max = 5) List<Long>> value) {
        long[][] arrays = value.stream().map(l -> l.stream().mapToLong(Long::longValue).toArray()).toArray(long[][]::new);
        List<?> decoded = decode("[100,[100,10]]", json(arrays), List.class);
        assertThat(decoded).hasSize(value.size());
        for (int i = 0; i < value.size(); i++) {
            assertThat(decoded.get(i)).isEqualTo(value.get(i));
        }
    }

    @Example
    void nullStaysNull() {
        assertThat(decode("4", json(null), String.class)).isNull();
    }

    // ---- refused values ----

    /**
     * Every value the encoder refuses fails in the encoder (before a request exists) with an
     * IllegalArgumentException naming the parameter position and the value's class, and never its text.
     */
    @Property
    void refusedTypesNameTheirClassAndNotTheirValue(@ForAll("refused") Object value, @ForAll boolean nested) {
        Object parameter = nested ? List.of("ok", Map.of("k", value)) : value;
        assertThatThrownBy(() -> json(parameter))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("parameter 1 (args[0]) " + (nested ? "contains a value of" : "has") + " unsupported type "
                + value.getClass().getTypeName())
            .satisfies(e -> {
                String text = value.getClass().isArray() ? null : String.valueOf(value);
                if (text != null && text.length() > 3) {
                    assertThat(e.getMessage()).doesNotContain(text);
                }
            });
    }

    @Provide
    Arbitrary<Object> refused() {
        return Arbitraries.oneOf(
            Arbitraries.strings().ofMinLength(4).map(s -> (Object) new StringBuilder("secret-" + s)),
            Arbitraries.bytes().array(byte[].class).map(b -> (Object) b),
            Arbitraries.chars().array(char[].class).map(c -> (Object) c),
            Arbitraries.longs().map(l -> (Object) Duration.ofMillis(l)),
            Arbitraries.integers().between(1, 9999).map(y -> (Object) Year.of(y)),
            Arbitraries.strings().alpha().ofMinLength(1).map(s -> (Object) URI.create("http://secret-" + s + ".example")),
            Arbitraries.strings().map(s -> (Object) Optional.of("secret-" + s)),
            Arbitraries.of(ChronoUnit.class).map(u -> (Object) u),
            Arbitraries.just(new Object()),
            Arbitraries.just(Thread.State.NEW),
            Arbitraries.integers().map(i -> (Object) new int[][] {{i}}).map(a -> (Object) new Object() {
                @Override
                public String toString() {
                    return "secret-anonymous-" + Arrays.deepToString((int[][]) a);
                }
            }));
    }

    private static CrateTestServer server;
    private static CrateClient client;

    @BeforeContainer
    static void startServer() {
        server = CrateTestServer.start();
        client = CrateClient.builder().nodes(server.url()).build();
    }

    @AfterContainer
    static void stopServer() {
        client.close();
        server.close();
    }

    /** Through the public API: the statement fails on subscription and the server never sees a request. */
    @Property(tries = 100)
    void refusedTypesFailBeforeAnyIo(@ForAll("refused") Object value) {
        StepVerifier.create(client.sql("SELECT ?", "fine", value))
            .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 2 (args[1])").hasMessageContaining(value.getClass().getTypeName()))
            .verify(Duration.ofSeconds(10));
        StepVerifier.create(client.bulk("INSERT INTO t VALUES (?)", List.of(List.of(1), List.of(value))))
            .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bulk row 2").hasMessageContaining(value.getClass().getTypeName()))
            .verify(Duration.ofSeconds(10));
        assertThat(server.requests()).as("requests that reached the server").isEmpty();
        assertThat(server.connectionsOpened()).as("connections opened").isZero();
    }

    @Property
    void mapKeysMustBeStrings(@ForAll int key) {
        assertThatThrownBy(() -> json(Map.of(key, "v")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("java.lang.Integer").hasMessageNotContaining(String.valueOf(key) + "=");
    }
}
