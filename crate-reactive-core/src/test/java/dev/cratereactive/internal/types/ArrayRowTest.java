package dev.cratereactive.internal.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.CrateType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Rows: access by index and name, conversions that keep the value, refusals of those that would not. */
class ArrayRowTest {

    private enum Color { RED, GREEN }

    private static ArrayRow one(CrateType type, Object value) {
        return new ArrayRow(new Columns(new String[] {"v"}, new CrateType[] {type}), new Object[] {value});
    }

    private static <T> T convert(CrateType type, Object value, Class<T> target) {
        return one(type, value).get(0, target);
    }

    private static void assertRefused(CrateType type, Object value, Class<?> target, String reason) {
        assertThatThrownBy(() -> one(type, value).get(0, target)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("cannot convert column 'v' (" + type + ") value of type " + value.getClass().getName()
                + " to " + target.getName() + ": " + reason);
    }

    @Test
    void accessByIndexAndName() {
        Columns columns = new Columns(new String[] {"id", "Name", "name", "NAME2"},
            new CrateType[] {CrateType.BIGINT, CrateType.TEXT, CrateType.TEXT, CrateType.TEXT});
        ArrayRow row = new ArrayRow(columns, new Object[] {1L, "upper", "lower", null});

        assertThat(row.size()).isEqualTo(4);
        assertThat(row.metadata()).isSameAs(columns);
        assertThat(row.get(0)).isEqualTo(1L);
        assertThat(row.get("name")).isEqualTo("lower");
        assertThat(row.get("Name")).isEqualTo("upper");
        assertThat(row.get("NAME")).as("no exact match: the first match ignoring case").isEqualTo("upper");
        assertThat(row.get("name2")).isNull();
        assertThat(row.get("ID", Long.class)).isEqualTo(1L);
        assertThat(columns.indexOf("iD")).isZero();
        assertThat(columns.indexOf("missing")).isEqualTo(-1);
        assertThat(columns.indexOf(null)).isEqualTo(-1);
        assertThat(columns.columns()).extracting(c -> c.name() + ":" + c.type())
            .containsExactly("id:BIGINT", "Name:TEXT", "name:TEXT", "NAME2:TEXT");
        assertThatThrownBy(() -> row.get("missing")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("no column 'missing'; the columns are [id, Name, name, NAME2]");
        assertThatThrownBy(() -> row.get("missing", String.class)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no column 'missing'");
        assertThatThrownBy(() -> row.get(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> row.get(-1, Object.class)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> columns.columns().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new ArrayRow(columns, new Object[3])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodedRowsOfEveryWidthKeepTheirValues() {
        for (int width = 1; width <= FieldRows.MAX_WIDTH + 2; width++) {
            String[] names = new String[width];
            CrateType[] types = new CrateType[width];
            Object[] values = new Object[width + 3]; // a reused scratch array is longer than the row
            for (int i = 0; i < width; i++) {
                names[i] = "c" + i;
                types[i] = CrateType.BIGINT;
                values[i] = i == 1 ? null : (long) (i * 10);
            }
            values[width] = "not part of the row";
            Columns columns = new Columns(names, types);
            StoredRow row = StoredRow.of(columns, values, width);
            Object[] copy = java.util.Arrays.copyOf(values, width);
            java.util.Arrays.fill(values, -1L); // the row copied its values out of the scratch array

            assertThat(row.size()).isEqualTo(width);
            for (int i = 0; i < width; i++) {
                assertThat(row.get(i)).as("width %d, column %d", width, i).isEqualTo(copy[i]);
                assertThat(row.get("c" + i)).isEqualTo(copy[i]);
            }
            assertThat(row).isEqualTo(new ArrayRow(columns, copy)).hasSameHashCodeAs(new ArrayRow(columns, copy))
                .hasToString(new ArrayRow(columns, copy).toString());
            int size = width;
            assertThatThrownBy(() -> row.get(size)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("Index " + size + " out of bounds for length " + size);
            assertThatThrownBy(() -> row.get(-1)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("Index -1 out of bounds for length " + size);
            assertThatThrownBy(() -> StoredRow.of(columns, copy, size - 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void valueSemantics() {
        Columns columns = new Columns(new String[] {"id", "p", "ip"},
            new CrateType[] {CrateType.INTEGER, CrateType.GEO_POINT, CrateType.IP});
        Columns sameColumns = new Columns(new String[] {"id", "p", "ip"},
            new CrateType[] {CrateType.INTEGER, CrateType.GEO_POINT, CrateType.IP});
        InetAddress ip = InetAddress.getLoopbackAddress();
        ArrayRow row = new ArrayRow(columns, new Object[] {1, new double[] {1.5, 2}, ip});
        ArrayRow same = new ArrayRow(sameColumns, new Object[] {1, new double[] {1.5, 2}, ip});
        ArrayRow other = new ArrayRow(columns, new Object[] {2, new double[] {1.5, 2}, ip});

        assertThat(row).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other);
        assertThat(row.toString()).isEqualTo("Row{id=1, p=[1.5, 2.0], ip=" + ip.getHostAddress() + "}");
        // The row is immutable: arrays are handed out as copies.
        ((double[]) row.get(1))[0] = 99;
        row.get(1, double[].class)[0] = 99;
        assertThat((double[]) row.get(1)).containsExactly(1.5, 2.0);
    }

    @Test
    void nullAndSameType() {
        assertThat(convert(CrateType.BIGINT, null, Long.class)).isNull();
        assertThat(convert(CrateType.BIGINT, null, long.class)).isNull();
        assertThat(convert(CrateType.BIGINT, 5L, Object.class)).isEqualTo(5L);
        assertThat(convert(CrateType.BIGINT, 5L, Number.class)).isEqualTo(5L);
        assertThat(convert(CrateType.BIGINT, 5L, long.class)).isEqualTo(5L);
        assertThat(convert(CrateType.BOOLEAN, true, boolean.class)).isTrue();
        assertThat(convert(CrateType.OBJECT, Map.of("a", 1), Map.class)).isEqualTo(Map.of("a", 1));
        assertThat(convert(CrateType.arrayOf(CrateType.INTEGER), List.of(1), List.class)).isEqualTo(List.of(1));
    }

    @Test
    void numbersConvertWhenNothingIsLost() {
        assertThat(convert(CrateType.INTEGER, 7, Long.class)).isEqualTo(7L);
        assertThat(convert(CrateType.INTEGER, 7, short.class)).isEqualTo((short) 7);
        assertThat(convert(CrateType.INTEGER, -128, Byte.class)).isEqualTo((byte) -128);
        assertThat(convert(CrateType.BIGINT, 2147483647L, int.class)).isEqualTo(Integer.MAX_VALUE);
        assertThat(convert(CrateType.BIGINT, 1L << 53, Double.class)).isEqualTo(9007199254740992.0);
        assertThat(convert(CrateType.BIGINT, 1L << 62, Double.class)).isEqualTo(0x1p62);
        assertThat(convert(CrateType.BIGINT, 16777216L, Float.class)).isEqualTo(16777216f);
        assertThat(convert(CrateType.BIGINT, Long.MAX_VALUE, BigInteger.class)).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE));
        assertThat(convert(CrateType.BIGINT, -3L, BigDecimal.class)).isEqualTo(BigDecimal.valueOf(-3));
        assertThat(convert(CrateType.REAL, 0.1f, Double.class)).isEqualTo((double) 0.1f);
        assertThat(convert(CrateType.REAL, Float.NaN, Double.class)).isNaN();
        assertThat(convert(CrateType.DOUBLE, 1.5, Float.class)).isEqualTo(1.5f);
        assertThat(convert(CrateType.DOUBLE, Double.NEGATIVE_INFINITY, float.class)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(convert(CrateType.DOUBLE, Double.NaN, Float.class)).isNaN();
        assertThat(convert(CrateType.DOUBLE, 42.0, Integer.class)).isEqualTo(42);
        assertThat(convert(CrateType.DOUBLE, -0x1p63, Long.class)).isEqualTo(Long.MIN_VALUE);
        assertThat(convert(CrateType.DOUBLE, 1e20, BigInteger.class)).isEqualTo(new BigInteger("100000000000000000000"));
        assertThat(convert(CrateType.DOUBLE, 0.1, BigDecimal.class)).isEqualTo(new BigDecimal("0.1"));
        assertThat(convert(CrateType.REAL, 0.1f, BigDecimal.class)).isEqualTo(new BigDecimal("0.1"));
        assertThat(convert(CrateType.NUMERIC, new BigDecimal("12.000"), Integer.class)).isEqualTo(12);
        assertThat(convert(CrateType.NUMERIC, new BigDecimal("123456789.125"), Double.class)).isEqualTo(123456789.125);
        assertThat(convert(CrateType.NUMERIC, new BigDecimal("0.5"), Float.class)).isEqualTo(0.5f);
        assertThat(convert(CrateType.NUMERIC, new BigDecimal("1E+3"), BigInteger.class)).isEqualTo(BigInteger.valueOf(1000));
        assertThat(convert(CrateType.NOT_SUPPORTED, new BigInteger("123"), Short.class)).isEqualTo((short) 123);
    }

    @Test
    void lossyNumberConversionsAreRefused() {
        String lossy = "not without loss";
        assertRefused(CrateType.BIGINT, 2147483648L, Integer.class, lossy);
        assertRefused(CrateType.INTEGER, 128, Byte.class, lossy);
        assertRefused(CrateType.INTEGER, 40000, Short.class, lossy);
        assertRefused(CrateType.BIGINT, Long.MAX_VALUE, Double.class, lossy);
        assertRefused(CrateType.BIGINT, (1L << 53) + 1, Double.class, lossy);
        assertRefused(CrateType.BIGINT, 16777217L, Float.class, lossy);
        assertRefused(CrateType.DOUBLE, 0.1, Float.class, lossy);
        assertRefused(CrateType.DOUBLE, 1.5, Long.class, lossy);
        assertRefused(CrateType.DOUBLE, 0x1p63, Long.class, lossy);
        assertRefused(CrateType.DOUBLE, Double.NaN, Integer.class, lossy);
        assertRefused(CrateType.DOUBLE, Double.POSITIVE_INFINITY, BigDecimal.class, lossy);
        assertRefused(CrateType.REAL, 2.5f, BigInteger.class, lossy);
        assertRefused(CrateType.NUMERIC, new BigDecimal("0.1"), Double.class, lossy);
        assertRefused(CrateType.NUMERIC, new BigDecimal("123456789012345678901234567890.123"), Double.class, lossy);
        assertRefused(CrateType.NUMERIC, new BigDecimal("1.5"), Long.class, lossy);
        assertRefused(CrateType.NUMERIC, new BigDecimal("1e400"), Double.class, lossy);
        assertRefused(CrateType.NOT_SUPPORTED, new BigInteger("9223372036854775808"), Long.class, lossy);
        assertRefused(CrateType.BIGINT, 1L, Boolean.class, "no such conversion");
    }

    @Test
    void timestamps() {
        Instant instant = Instant.parse("2024-02-29T10:34:56.789Z");
        CrateType tz = CrateType.TIMESTAMP_WITH_TIME_ZONE;
        assertThat(convert(tz, instant, OffsetDateTime.class))
            .isEqualTo(OffsetDateTime.of(2024, 2, 29, 10, 34, 56, 789_000_000, ZoneOffset.UTC));
        assertThat(convert(tz, instant, ZonedDateTime.class))
            .isEqualTo(ZonedDateTime.of(2024, 2, 29, 10, 34, 56, 789_000_000, ZoneOffset.UTC));
        assertThat(convert(tz, instant, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 2, 29, 10, 34, 56, 789_000_000));
        assertThat(convert(tz, instant, Date.class)).isEqualTo(new Date(1709202896789L));
        assertThat(convert(tz, instant, Long.class)).isEqualTo(1709202896789L);
        assertThat(convert(tz, instant, long.class)).isEqualTo(1709202896789L);
        assertThat(convert(tz, instant, String.class)).isEqualTo("2024-02-29T10:34:56.789Z");
        assertThat(convert(tz, Instant.parse("2024-02-29T00:00:00Z"), LocalDate.class)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertRefused(tz, instant, LocalDate.class, "no such conversion");
        assertRefused(tz, instant, Integer.class, "no such conversion");
        assertRefused(tz, Instant.ofEpochSecond(0, 1), Long.class, "no such conversion");

        CrateType local = CrateType.TIMESTAMP_WITHOUT_TIME_ZONE;
        LocalDateTime dateTime = LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000);
        assertThat(convert(local, dateTime, Instant.class)).isEqualTo(Instant.ofEpochMilli(-1));
        assertThat(convert(local, dateTime, Long.class)).isEqualTo(-1L);
        assertThat(convert(local, dateTime, OffsetDateTime.class)).isEqualTo(dateTime.atOffset(ZoneOffset.UTC));

        LocalDate date = LocalDate.of(2024, 2, 29);
        assertThat(convert(CrateType.DATE, date, LocalDate.class)).isEqualTo(date);
        assertThat(convert(CrateType.DATE, date, Instant.class)).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
        assertThat(convert(CrateType.DATE, date, Long.class)).isEqualTo(1709164800000L);
        assertThat(convert(CrateType.DATE, date, String.class)).isEqualTo("2024-02-29");

        // Without col_types a timestamp is its epoch milliseconds.
        assertThat(convert(CrateType.NOT_SUPPORTED, 1709202896789L, Instant.class)).isEqualTo(instant);
        assertThat(convert(CrateType.NOT_SUPPORTED, 0, OffsetDateTime.class))
            .isEqualTo(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(convert(CrateType.NOT_SUPPORTED, 1709164800000L, LocalDate.class)).isEqualTo(date);

        OffsetTime time = OffsetTime.of(13, 0, 0, 123_456_000, ZoneOffset.ofHours(2));
        assertThat(convert(CrateType.TIMETZ, time, String.class)).isEqualTo("13:00:00.123456+02:00");
        assertRefused(CrateType.TIMETZ, time, LocalTime.class, "no such conversion");
    }

    @Test
    void textUuidAndEnums() throws Exception {
        assertThat(convert(CrateType.BIGINT, 5L, String.class)).isEqualTo("5");
        assertThat(convert(CrateType.NUMERIC, new BigDecimal("1E+3"), String.class)).isEqualTo("1000");
        assertThat(convert(CrateType.BOOLEAN, true, String.class)).isEqualTo("true");
        assertThat(convert(CrateType.IP, InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), String.class))
            .isEqualTo("10.0.0.1");
        assertThat(convert(CrateType.FLOAT_VECTOR, new float[] {1f, 2.5f}, String.class)).isEqualTo("[1.0, 2.5]");
        assertThat(convert(CrateType.arrayOf(CrateType.INTEGER), List.of(1, 2), String.class)).isEqualTo("[1, 2]");

        UUID uuid = UUID.fromString("c6cef6e0-2c2d-531b-5b1d-4f6e9432a883");
        assertThat(convert(CrateType.TEXT, "c6cef6e0-2c2d-531b-5b1d-4f6e9432a883", UUID.class)).isEqualTo(uuid);
        assertThatThrownBy(() -> convert(CrateType.TEXT, "secret-not-a-uuid", UUID.class))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 'v' (TEXT)")
            .hasMessageContaining("not a UUID").hasMessageNotContaining("secret");

        assertThat(convert(CrateType.TEXT, "GREEN", Color.class)).isEqualTo(Color.GREEN);
        assertThatThrownBy(() -> convert(CrateType.TEXT, "green", Color.class))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no constant");
        assertRefused(CrateType.INTEGER, 1, Color.class, "no such conversion");
        assertRefused(CrateType.INTEGER, 1, UUID.class, "no such conversion");
        assertRefused(CrateType.TEXT, "1", Integer.class, "no such conversion");
    }
}
