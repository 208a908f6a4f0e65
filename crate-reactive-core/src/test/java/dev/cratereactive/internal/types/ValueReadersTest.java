package dev.cratereactive.internal.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.Row;
import dev.cratereactive.internal.codec.MalformedResponseException;
import dev.cratereactive.internal.codec.ResponseDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each CrateDB type id maps a cell's JSON token to its natural Java value. */
class ValueReadersTest {

    /** Decodes a one-column, one-row response whose column has {@code type} and whose cell is {@code json}. */
    private static Object cell(String type, String json) {
        String body = "{\"cols\":[\"c\"],\"col_types\":[" + type + "],\"rows\":[[" + json + "]]}";
        ByteBuf chunk = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        try {
            ResponseDecoder decoder = new ResponseDecoder(ResponseDecoder.Mode.ROWS);
            List<Row> rows = decoder.feed(chunk);
            decoder.finish();
            assertThat(rows).hasSize(1);
            return rows.get(0).get(0);
        } finally {
            chunk.release();
        }
    }

    private static void assertRejected(String type, String json, String message) {
        assertThatThrownBy(() -> cell(type, json)).isInstanceOf(MalformedResponseException.class)
            .hasMessageContaining(message);
    }

    @Test
    void nullIsNullForEveryType() {
        for (int id = 0; id <= 30; id++) {
            assertThat(cell(String.valueOf(id), "null")).as("type %d", id).isNull();
        }
        assertThat(cell("[100,9]", "null")).isNull();
    }

    @Test
    void integers() {
        assertThat(cell("2", "-128")).isEqualTo((byte) -128);
        assertThat(cell("8", "-32768")).isEqualTo((short) -32768);
        assertThat(cell("9", "2147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(cell("10", "-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(cell("23", "241206555")).isEqualTo(241206555);
        assertRejected("2", "128", "from -128 to 127");
        assertRejected("8", "32768", "from -32768 to 32767");
        assertRejected("9", "2147483648", "column 'c' (INTEGER)");
        assertRejected("10", "9223372036854775808", "column 'c' (BIGINT)");
        assertRejected("10", "1.5", "got a decimal number");
        assertRejected("9", "\"1\"", "got a string");
    }

    @Test
    void floatingPoint() {
        assertThat(cell("7", "0.1")).isEqualTo(0.1f);
        assertThat(cell("7", "3")).isEqualTo(3f);
        assertThat(cell("7", "\"NaN\"")).isEqualTo(Float.NaN);
        assertThat(cell("7", "\"-Infinity\"")).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(cell("6", "0.1")).isEqualTo(0.1);
        assertThat(cell("6", "7")).isEqualTo(7.0);
        assertThat(cell("6", "\"Infinity\"")).isEqualTo(Double.POSITIVE_INFINITY);
        assertRejected("6", "\"nan\"", "got a string other than \"NaN\"");
    }

    @Test
    void numericIsExact() {
        assertThat(cell("22", "0.1")).isEqualTo(new BigDecimal("0.1"));
        assertThat(cell("22", "123456789012345678901234567890")).isEqualTo(new BigDecimal("123456789012345678901234567890"));
        assertThat(cell("22", "1.50")).isEqualTo(new BigDecimal("1.50"));
        assertThat(cell("[100,22]", "[0.1,99999999999999999999.99,null]"))
            .isEqualTo(Arrays.asList(new BigDecimal("0.1"), new BigDecimal("99999999999999999999.99"), null));
        assertThat(cell("[100,[100,22]]", "[[1.10],[]]")).isEqualTo(List.of(List.of(new BigDecimal("1.10")), List.of()));
    }

    @Test
    void timestampsAndDates() {
        assertThat(cell("11", "-1")).isEqualTo(Instant.parse("1969-12-31T23:59:59.999Z"));
        assertThat(cell("15", "-1")).isEqualTo(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000));
        assertThat(cell("15", "-86400000")).isEqualTo(LocalDateTime.of(1969, 12, 31, 0, 0));
        assertThat(cell("15", "951782400123")).isEqualTo(LocalDateTime.of(2000, 2, 29, 0, 0, 0, 123_000_000));
        assertThat(cell("24", "-86400000")).isEqualTo(LocalDate.of(1969, 12, 31));
        assertThat(cell("24", "0")).isEqualTo(LocalDate.of(1970, 1, 1));
        assertThat(cell("[100,11]", "[0,null,1709202896789]")).isEqualTo(Arrays.asList(Instant.EPOCH, null,
            Instant.parse("2024-02-29T10:34:56.789Z")));
        assertThat(cell("20", "[0,-18000]")).isEqualTo(OffsetTime.of(0, 0, 0, 0, ZoneOffset.ofHours(-5)));
        assertThat(cell("20", "[86399999999,0]")).isEqualTo(OffsetTime.of(23, 59, 59, 999_999_000, ZoneOffset.UTC));
        assertRejected("20", "[1]", "TIMETZ");
        assertRejected("20", "[86400000000,0]", "column 'c' (TIMETZ)");
        assertRejected("20", "\"13:00\"", "expected a JSON array [micros_of_day, offset_seconds]");
    }

    @Test
    void ipAddressesWithoutLookup() throws Exception {
        Object v4 = cell("5", "\"10.0.0.255\"");
        assertThat(v4).isInstanceOf(Inet4Address.class)
            .isEqualTo(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) 255}));
        Object v6 = cell("5", "\"2001:db8::1\"");
        assertThat(v6).isInstanceOf(Inet6Address.class);
        assertThat(((InetAddress) v6).getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        // A host name is not an address, and must not be resolved.
        assertRejected("5", "\"localhost\"", "not an IP address");
    }

    @Test
    void objectsPointsShapesVectors() {
        Object object = cell("12", "{\"a\":{\"b\":[1,2.5,\"x\",true,null]},\"z\":1}");
        assertThat(object).isEqualTo(Map.of("a", Map.of("b", Arrays.asList(1, 2.5, "x", true, null)), "z", 1));
        assertThat(List.copyOf(((Map<?, ?>) object).keySet())).isEqualTo(List.of("a", "z"));
        assertThat(cell("16", "{}")).isEqualTo(Map.of());
        assertThat((double[]) cell("13", "[1,-2.5]")).containsExactly(1.0, -2.5);
        assertThat(cell("14", "{\"type\":\"Point\",\"coordinates\":[1.0,2.0]}"))
            .isEqualTo(Map.of("type", "Point", "coordinates", List.of(1.0, 2.0)));
        assertThat((float[]) cell("28", "[1,2.5,-0.25,4,5,6,7,8,9,10,11,12,13,14,15,16,17]"))
            .containsExactly(1f, 2.5f, -0.25f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f);
        assertThat((float[]) cell("28", "[]")).isEmpty();
        assertThat(cell("21", "[1,2]")).isEqualTo(List.of(1, 2));
        List<?> points = (List<?>) cell("[100,13]", "[[1,2],null]");
        assertThat((double[]) points.get(0)).containsExactly(1.0, 2.0);
        assertThat(points.get(1)).isNull();
        assertRejected("13", "[1,2,3]", "GEO_POINT");
        assertRejected("13", "[1]", "GEO_POINT");
        assertRejected("13", "[1,null]", "GEO_POINT");
        assertRejected("28", "[1,null]", "FLOAT_VECTOR");
        assertRejected("12", "[1]", "expected a JSON object, got an array");
        assertRejected("[100,9]", "1", "expected a JSON array, got an integer");
        assertRejected("[100,9]", "[\"1\"]", "got a string");
    }

    @Test
    void textTypes() {
        assertThat(cell("4", "\"a\\\"b\\\\c\\n\\u00e9\"")).isEqualTo("a\"b\\c\n\u00e9");
        assertThat(cell("27", "\"ab   \"")).isEqualTo("ab   ");
        assertThat(cell("17", "\"1 day 02:00:03\"")).isEqualTo("1 day 02:00:03");
        assertThat(cell("25", "\"B'01'\"")).isEqualTo("B'01'");
        assertThat(cell("26", "\"{\\\"a\\\":1}\"")).isEqualTo("{\"a\":1}");
        assertThat(cell("19", "\"sum\"")).isEqualTo("sum");
        assertThat(cell("3", "false")).isEqualTo(false);
        assertRejected("4", "1", "got an integer");
        assertRejected("3", "\"true\"", "got a string");
    }

    @Test
    void typesWithoutMappingGoByJsonToken() {
        assertThat(cell("0", "1")).isEqualTo(1);
        assertThat(cell("1", "\"x\"")).isEqualTo("x");
        assertThat(cell("18", "[1,\"a\"]")).isEqualTo(List.of(1, "a"));
        assertThat(cell("99", "{\"k\":4294967296}")).isEqualTo(Map.of("k", 4294967296L));
        assertThat(cell("[100,99]", "[1.5]")).isEqualTo(List.of(1.5));
    }

    @Test
    void containersAreUnmodifiable() {
        List<?> list = (List<?>) cell("[100,9]", "[1]");
        Map<?, ?> map = (Map<?, ?>) cell("12", "{\"a\":1}");
        assertThatThrownBy(() -> list.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    }
}
