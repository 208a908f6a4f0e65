package dev.cratereactive.internal.types;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import tools.jackson.core.JsonParser;

/**
 * The {@link ValueReader} of a type whose every value fits in 64 bits: SMALLINT, INTEGER, BIGINT, REAL, DOUBLE and
 * the timestamps and DATE (epoch milliseconds). The decoder keeps such values unboxed in rows ({@link MixedRows})
 * and boxes them with {@link #box(long)} only when a caller asks for the natural value, so a row read with
 * {@link dev.cratereactive.Row#getLong(int)} or {@link dev.cratereactive.Row#getDouble(int)} allocates nothing per
 * value. The {@code from*} methods are {@link #box(long)} of the bits: one decoding rule per type.
 */
public abstract class PrimitiveReader extends ValueReader {

    static final PrimitiveReader SMALLINT = new SmallintReader();
    static final PrimitiveReader INTEGER = new IntegerReader();
    static final PrimitiveReader BIGINT = new BigintReader();
    static final PrimitiveReader REAL = new RealReader();
    static final PrimitiveReader DOUBLE = new DoubleReader();
    static final PrimitiveReader TIMESTAMP_TZ = new EpochMillisReader(24) {
        @Override
        Object box(long millis) {
            return Instant.ofEpochMilli(millis);
        }
    };
    static final PrimitiveReader TIMESTAMP = new EpochMillisReader(72) {
        @Override
        Object box(long millis) {
            return LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L), (int) Math.floorMod(millis, 1000L) * 1_000_000,
                ZoneOffset.UTC);
        }
    };
    static final PrimitiveReader DATE = new EpochMillisReader(24) {
        @Override
        Object box(long millis) {
            return LocalDate.ofEpochDay(Math.floorDiv(millis, MILLIS_PER_DAY));
        }
    };

    private static final long MILLIS_PER_DAY = 86_400_000L;

    /** What the bits of a value are, for the unboxed accessors of a row. */
    enum Kind {
        /** the value itself, a SMALLINT, INTEGER or BIGINT */
        INTEGRAL,
        /** a REAL's {@link Float#floatToRawIntBits} */
        FLOAT,
        /** a DOUBLE's {@link Double#doubleToRawLongBits} */
        DOUBLE,
        /** epoch milliseconds of a timestamp or date: read through the boxed value */
        OTHER
    }

    private final Kind kind;
    private final int boxedBytes;

    /**
     * @param expected what this reader accepts, for error messages
     * @param kind what the bits are
     * @param boxedBytes the heap bytes of one boxed value (with compressed references), to weigh row layouts
     */
    PrimitiveReader(String expected, Kind kind, int boxedBytes) {
        super(expected);
        this.kind = kind;
        this.boxedBytes = boxedBytes;
    }

    /**
     * @param parser positioned on a {@code VALUE_NUMBER_INT}
     * @return the value's bits
     * @throws IllegalArgumentException if the type cannot hold it
     */
    public long intBits(JsonParser parser) {
        throw unexpected("an integer");
    }

    /**
     * @param parser positioned on a {@code VALUE_NUMBER_FLOAT}
     * @return the value's bits
     * @throws IllegalArgumentException if the type cannot hold it
     */
    public long floatBits(JsonParser parser) {
        throw unexpected("a decimal number");
    }

    /**
     * @param parser positioned on a {@code VALUE_STRING}
     * @return the value's bits
     * @throws IllegalArgumentException if the type cannot hold it
     */
    public long stringBits(JsonParser parser) {
        throw unexpected("a string");
    }

    /**
     * @param bits what one of the {@code *Bits} methods returned
     * @return the natural value
     */
    abstract Object box(long bits);

    Kind kind() {
        return kind;
    }

    int boxedBytes() {
        return boxedBytes;
    }

    @Override
    public final Object fromInt(JsonParser parser) {
        return box(intBits(parser));
    }

    @Override
    public final Object fromFloat(JsonParser parser) {
        return box(floatBits(parser));
    }

    @Override
    public final Object fromString(JsonParser parser) {
        return box(stringBits(parser));
    }

    /** CrateDB sends NaN and the infinities of REAL and DOUBLE columns as these strings. */
    final double special(String text) {
        switch (text) {
            case "NaN": return Double.NaN;
            case "Infinity": return Double.POSITIVE_INFINITY;
            case "-Infinity": return Double.NEGATIVE_INFINITY;
            default: throw unexpected("a string other than \"NaN\", \"Infinity\" or \"-Infinity\"");
        }
    }

    private static final class SmallintReader extends PrimitiveReader {
        SmallintReader() {
            super("a JSON integer from -32768 to 32767", Kind.INTEGRAL, 16);
        }

        @Override
        public long intBits(JsonParser parser) {
            int value = parser.getIntValue();
            if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
                throw unexpected("an integer out of range");
            }
            return value;
        }

        @Override
        Object box(long bits) {
            return (short) bits;
        }
    }

    private static final class IntegerReader extends PrimitiveReader {
        IntegerReader() {
            super("a JSON integer", Kind.INTEGRAL, 16);
        }

        @Override
        public long intBits(JsonParser parser) {
            return parser.getIntValue();
        }

        @Override
        Object box(long bits) {
            return (int) bits;
        }
    }

    private static final class BigintReader extends PrimitiveReader {
        BigintReader() {
            super("a JSON integer", Kind.INTEGRAL, 24);
        }

        @Override
        public long intBits(JsonParser parser) {
            return parser.getLongValue();
        }

        @Override
        Object box(long bits) {
            return bits;
        }
    }

    private static final class RealReader extends PrimitiveReader {
        RealReader() {
            super("a JSON number or \"NaN\", \"Infinity\", \"-Infinity\"", Kind.FLOAT, 16);
        }

        @Override
        public long intBits(JsonParser parser) {
            return Float.floatToRawIntBits(parser.getFloatValue());
        }

        @Override
        public long floatBits(JsonParser parser) {
            return Float.floatToRawIntBits(parser.getFloatValue());
        }

        @Override
        public long stringBits(JsonParser parser) {
            return Float.floatToRawIntBits((float) special(parser.getString()));
        }

        @Override
        Object box(long bits) {
            return Float.intBitsToFloat((int) bits);
        }
    }

    private static final class DoubleReader extends PrimitiveReader {
        DoubleReader() {
            super("a JSON number or \"NaN\", \"Infinity\", \"-Infinity\"", Kind.DOUBLE, 24);
        }

        @Override
        public long intBits(JsonParser parser) {
            return Double.doubleToRawLongBits(parser.getDoubleValue());
        }

        @Override
        public long floatBits(JsonParser parser) {
            return Double.doubleToRawLongBits(parser.getDoubleValue());
        }

        @Override
        public long stringBits(JsonParser parser) {
            return Double.doubleToRawLongBits(special(parser.getString()));
        }

        @Override
        Object box(long bits) {
            return Double.longBitsToDouble(bits);
        }
    }

    /** Timestamps and dates: CrateDB sends epoch milliseconds. */
    private abstract static class EpochMillisReader extends PrimitiveReader {
        EpochMillisReader(int boxedBytes) {
            super("a JSON integer (epoch milliseconds)", Kind.OTHER, boxedBytes);
        }

        @Override
        public long intBits(JsonParser parser) {
            return parser.getLongValue();
        }
    }
}
