package dev.cratereactive.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.CrateType;
import dev.cratereactive.Row;
import dev.cratereactive.RowMetadata;
import dev.cratereactive.internal.types.ArrayRow;
import dev.cratereactive.internal.types.Columns;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rows that keep numbers and timestamps unboxed: the same natural values as boxed rows, the primitive accessors
 * without boxes, and the conversions and errors of {@code get(i, Class)} where a value is not a plain number.
 */
class UnboxedRowsTest {

    private static final String COLS = "\"cols\":[\"si\",\"i\",\"bi\",\"r\",\"d\",\"ts\",\"t\",\"day\"],"
        + "\"col_types\":[8,9,10,7,6,11,4,24]";
    private static final String BODY = "{" + COLS + ",\"rows\":["
        + "[-32768,2147483647,9007199254740993,1.5,0.1,1700000000123,\"a\",1700006400000],"
        + "[null,null,null,null,null,null,null,null],"
        + "[7,-7,-9223372036854775808,\"NaN\",\"-Infinity\",-1,\"\",0],"
        + "[1,2,3,4,5,6,\"x\",86400000]"
        + "],\"rowcount\":4}";

    private static final CrateType[] TYPES = {CrateType.SMALLINT, CrateType.INTEGER, CrateType.BIGINT, CrateType.REAL,
        CrateType.DOUBLE, CrateType.TIMESTAMP_WITH_TIME_ZONE, CrateType.TEXT, CrateType.DATE};
    private static final Object[][] VALUES = {
        {(short) -32768, Integer.MAX_VALUE, 9007199254740993L, 1.5f, 0.1, Instant.ofEpochMilli(1700000000123L), "a",
            LocalDate.of(2023, 11, 15)},
        {null, null, null, null, null, null, null, null},
        {(short) 7, -7, Long.MIN_VALUE, Float.NaN, Double.NEGATIVE_INFINITY, Instant.ofEpochMilli(-1), "",
            LocalDate.of(1970, 1, 1)},
        {(short) 1, 2, 3L, 4f, 5.0, Instant.ofEpochMilli(6), "x", LocalDate.of(1970, 1, 2)},
    };

    private static List<Row> rows() {
        return Decoding.decode(BODY).rows();
    }

    @Test
    void numbersAndTimestampsAreKeptUnboxedAndReadBackAsTheirNaturalValues() {
        List<Row> rows = rows();
        Columns columns = new Columns(new String[] {"si", "i", "bi", "r", "d", "ts", "t", "day"}, TYPES);

        assertThat(columns.unboxedRows()).isTrue();
        assertThat(rows).hasSize(VALUES.length);
        for (int r = 0; r < VALUES.length; r++) {
            Row row = rows.get(r);
            assertThat(row.getClass().getEnclosingClass().getSimpleName()).isEqualTo("MixedRows");
            for (int c = 0; c < TYPES.length; c++) {
                assertThat(row.get(c)).as("row %d column %d", r, c).isEqualTo(VALUES[r][c]);
            }
            ArrayRow boxed = new ArrayRow(columns, VALUES[r].clone());
            assertThat(row).isEqualTo(boxed).hasSameHashCodeAs(boxed).hasToString(boxed.toString());
        }
    }

    @Test
    void primitiveAccessorsReadTheBits() {
        Row row = rows().get(0);

        assertThat(row.getInt(0)).isEqualTo(-32768);
        assertThat(row.getLong("si")).isEqualTo(-32768L);
        assertThat(row.getInt("i")).isEqualTo(Integer.MAX_VALUE);
        assertThat(row.getLong(2)).isEqualTo(9007199254740993L);
        assertThat(row.getDouble(3)).isEqualTo(1.5);
        assertThat(row.getDouble("d")).isEqualTo(0.1);
        assertThat(row.getDouble("I")).isEqualTo(2147483647.0);
        Row specials = rows().get(2);
        assertThat(specials.getDouble("r")).isNaN();
        assertThat(specials.getDouble("d")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(specials.getLong("bi")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void valuesThatAreNotPlainNumbersConvertAsGetWithAClassDoes() {
        Row row = rows().get(0);

        assertThat(row.getLong("ts")).as("a timestamp as epoch milliseconds").isEqualTo(1700000000123L);
        assertThat(rows().get(3).getLong("r")).as("4.0f is exactly 4").isEqualTo(4L);
        assertThat(rows().get(3).getInt("d")).isEqualTo(5);
        assertThatThrownBy(() -> row.getLong("r")).as("1.5f has no exact long")
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 'r' (REAL)");
    }

    @Test
    void lossyConversionsAndNullsFailNamingTheColumn() {
        Row row = rows().get(0);
        assertThatThrownBy(() -> row.getInt("bi")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("column 'bi' (BIGINT)");
        assertThatThrownBy(() -> row.getDouble("bi")).as("2^53 + 1 has no exact double")
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 'bi' (BIGINT)");
        assertThatThrownBy(() -> row.getLong("t")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("column 't' (TEXT)");
        assertThatThrownBy(() -> row.getLong("missing")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no column 'missing'");
        assertThatThrownBy(() -> row.getLong(8)).isInstanceOf(IndexOutOfBoundsException.class);

        Row nulls = rows().get(1);
        for (String column : List.of("si", "i", "bi", "r", "d", "ts", "t")) {
            assertThatThrownBy(() -> nulls.getLong(column)).isInstanceOf(NullPointerException.class)
                .hasMessage("column '" + column + "' is NULL; read it with get(..) where NULL is allowed");
        }
        assertThatThrownBy(() -> nulls.getDouble(4)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("column 'd' is NULL");
        assertThatThrownBy(() -> nulls.getInt(1)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("column 'i' is NULL");
    }

    @Test
    void everySplitOfTheBodyDecodesTheSameRows() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        List<Row> whole = rows();
        for (int cut = 1; cut < body.length; cut++) {
            int at = cut;
            List<Row> split = Decoding.decode(body, ResponseDecoder.Mode.ROWS, new int[] {cut}, chunk -> at % 2 == 0)
                .rows();
            assertThat(split).as("cut at %d", cut).isEqualTo(whole);
        }
    }

    @Test
    void rowsWhoseBoxesWouldCostLessStayBoxed() {
        CrateType[] mostlyText = new CrateType[8];
        Arrays.fill(mostlyText, CrateType.TEXT);
        mostlyText[0] = CrateType.BIGINT;
        CrateType[] wide = new CrateType[9];
        Arrays.fill(wide, CrateType.BIGINT);

        assertThat(columns(CrateType.BIGINT, CrateType.TEXT, CrateType.DOUBLE).unboxedRows()).isTrue();
        assertThat(columns(CrateType.BIGINT).unboxedRows()).isTrue();
        assertThat(columns(CrateType.TEXT, CrateType.TEXT).unboxedRows()).isFalse();
        assertThat(columns(mostlyText).unboxedRows()).as("one box is smaller than seven empty long fields").isFalse();
        assertThat(columns(wide).unboxedRows()).as("wider than the field rows").isFalse();
        assertThat(columns(CrateType.arrayOf(CrateType.BIGINT), CrateType.BOOLEAN).unboxedRows()).isFalse();

        List<Row> rows = Decoding.decode("{\"cols\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\"],"
            + "\"col_types\":[10,4,4,4,4,4,4,4],\"rows\":[[1,\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\"]]}").rows();
        assertThat(rows.get(0).getClass().getEnclosingClass().getSimpleName()).isEqualTo("FieldRows");
        assertThat(rows.get(0).getLong(0)).isEqualTo(1L);
    }

    @Test
    void rowsOfOtherImplementationsGetTheAccessorsFromTheInterface() {
        Columns columns = columns(CrateType.BIGINT, CrateType.DOUBLE);
        Row foreign = new Row() {
            @Override
            public Object get(int index) {
                return index == 0 ? 42L : null;
            }

            @Override
            public Object get(String name) {
                return get(columns.indexOf(name));
            }

            @Override
            public <T> T get(int index, Class<T> type) {
                return type.cast(index != 0 ? null : type == Double.class ? (Object) 42.0 : (Object) 42L);
            }

            @Override
            public <T> T get(String name, Class<T> type) {
                return get(columns.indexOf(name), type);
            }

            @Override
            public RowMetadata metadata() {
                return columns;
            }

            @Override
            public int size() {
                return 2;
            }
        };

        assertThat(foreign.getLong(0)).isEqualTo(42L);
        assertThat(foreign.getDouble("c0")).isEqualTo(42.0);
        assertThatThrownBy(() -> foreign.getDouble(1)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("column 'c1' is NULL");
    }

    private static Columns columns(CrateType... types) {
        String[] names = new String[types.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = "c" + i;
        }
        return new Columns(names, types);
    }
}
