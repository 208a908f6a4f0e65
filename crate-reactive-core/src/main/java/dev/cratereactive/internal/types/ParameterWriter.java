package dev.cratereactive.internal.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JsonGenerator;

/**
 * Writes one statement parameter as the JSON CrateDB expects: numbers as numbers (NaN and the infinities as the
 * strings CrateDB accepts), points in time as epoch milliseconds, dates and times as ISO text, maps as objects
 * and collections and arrays as arrays.
 *
 * <p>Exact numbers ({@link BigDecimal}, {@link BigInteger}, and other {@link Number}s whose text is their value)
 * go out as a JSON number only when CrateDB reads that number back as the same value, and as a JSON string
 * otherwise. CrateDB 6.4 parses a JSON number with a fraction as a {@code double} and an integer as a
 * {@code long} (one beyond the long range fails with "Cannot detect the type of the value"); a string is cast
 * exactly to NUMERIC columns and {@code ?::numeric}, and to the type of the column it is compared with
 * (transcripts {@code numeric-param-*}). So {@code 1.5} and {@code 42} stay numbers and keep working in
 * arithmetic, while {@code 12345678901234567890.123456} travels as {@code "12345678901234567890.123456"}: exact
 * in NUMERIC, and a loud cast error rather than a silently rounded double where the server wants an integer.
 *
 * <p>Errors are {@link IllegalArgumentException}s whose message is a predicate to put after the parameter's
 * position, e.g. {@code "has unsupported type java.lang.Thread; supported: ..."}. They name types, never
 * values: parameters may be secrets.
 */
public final class ParameterWriter {

    /** How deep maps, collections and arrays may nest; deeper means a structure that contains itself, usually. */
    public static final int MAX_DEPTH = 64;

    private static final String SUPPORTED = "supported: null, Boolean, Number, String, Character, Instant, "
        + "OffsetDateTime, ZonedDateTime, Date, LocalDate, LocalDateTime, LocalTime, OffsetTime, UUID, InetAddress, "
        + "Map<String, ?>, Collection, arrays (not byte[])";

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private ParameterWriter() {
    }

    /**
     * @param generator where to write
     * @param value the parameter
     * @throws IllegalArgumentException if the value, or one nested in it, cannot be sent
     */
    public static void write(JsonGenerator generator, Object value) {
        write(generator, value, 0);
    }

    private static void write(JsonGenerator g, Object value, int depth) {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String text) {
            g.writeString(text);
        } else if (value instanceof Number number) {
            writeNumber(g, number, depth);
        } else if (value instanceof Boolean bool) {
            g.writeBoolean(bool);
        } else if (value instanceof Character character) {
            g.writeString(String.valueOf(character.charValue()));
        } else if (value instanceof Instant instant) {
            g.writeNumber(epochMillis(instant));
        } else if (value instanceof OffsetDateTime dateTime) {
            g.writeNumber(epochMillis(dateTime.toInstant()));
        } else if (value instanceof ZonedDateTime dateTime) {
            g.writeNumber(epochMillis(dateTime.toInstant()));
        } else if (value instanceof Date date) {
            g.writeNumber(date.getTime());
        } else if (value instanceof LocalDate date) {
            g.writeString(DateTimeFormatter.ISO_LOCAL_DATE.format(date));
        } else if (value instanceof LocalDateTime dateTime) {
            // Not toString(): it drops zero seconds ("13:00"), ISO_LOCAL_DATE_TIME always writes them.
            g.writeString(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(dateTime));
        } else if (value instanceof LocalTime time) {
            g.writeString(DateTimeFormatter.ISO_LOCAL_TIME.format(time));
        } else if (value instanceof OffsetTime time) {
            g.writeString(DateTimeFormatter.ISO_OFFSET_TIME.format(time));
        } else if (value instanceof UUID uuid) {
            g.writeString(uuid.toString());
        } else if (value instanceof InetAddress address) {
            g.writeString(address.getHostAddress());
        } else if (value instanceof Map<?, ?> map) {
            writeMap(g, map, depth);
        } else if (value instanceof Collection<?> collection) {
            int elementDepth = nested(depth);
            g.writeStartArray();
            for (Object element : collection) {
                write(g, element, elementDepth);
            }
            g.writeEndArray();
        } else if (value.getClass().isArray()) {
            writeArray(g, value, depth);
        } else {
            throw unsupported(value, depth);
        }
    }

    private static void writeNumber(JsonGenerator g, Number number, int depth) {
        if (number instanceof Integer || number instanceof Short || number instanceof Byte) {
            g.writeNumber(number.intValue());
        } else if (number instanceof Long) {
            g.writeNumber(number.longValue());
        } else if (number instanceof Double) {
            writeDouble(g, number.doubleValue());
        } else if (number instanceof Float) {
            writeFloat(g, number.floatValue());
        } else if (number instanceof BigDecimal decimal) {
            writeExact(g, decimal);
        } else if (number instanceof BigInteger integer) {
            if (integer.bitLength() < Long.SIZE) {
                g.writeNumber(integer.longValue());
            } else {
                g.writeString(integer.toString());
            }
        } else {
            // AtomicLong, LongAdder, ...: their text is their exact value.
            BigDecimal exact;
            try {
                exact = new BigDecimal(number.toString());
            } catch (NumberFormatException e) {
                throw unsupported(number, depth);
            }
            writeExact(g, exact);
        }
    }

    private static void writeExact(JsonGenerator g, BigDecimal decimal) {
        if (readsBackExactly(decimal)) {
            // Plain (WRITE_BIGDECIMAL_AS_PLAIN): "1000", not "1E+3", which CrateDB would read as a double.
            g.writeNumber(decimal);
        } else {
            g.writeString(decimal.toPlainString());
        }
    }

    /**
     * @param decimal a value about to be written plain
     * @return whether CrateDB reads its plain JSON number as this very value: an integer within the long range,
     *     or a fraction whose nearest double prints (shortest form, as CrateDB converts it to NUMERIC) as the
     *     same value
     */
    static boolean readsBackExactly(BigDecimal decimal) {
        if (decimal.scale() <= 0) {
            return decimal.compareTo(LONG_MIN) >= 0 && decimal.compareTo(LONG_MAX) <= 0;
        }
        double nearest = decimal.doubleValue();
        return Double.isFinite(nearest) && new BigDecimal(Double.toString(nearest)).compareTo(decimal) == 0;
    }

    private static void writeDouble(JsonGenerator g, double value) {
        if (Double.isFinite(value)) {
            g.writeNumber(value);
        } else {
            g.writeString(Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void writeFloat(JsonGenerator g, float value) {
        if (Float.isFinite(value)) {
            g.writeNumber(value);
        } else {
            writeDouble(g, value);
        }
    }

    private static void writeMap(JsonGenerator g, Map<?, ?> map, int depth) {
        int valueDepth = nested(depth);
        g.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException(entry.getKey() == null ? "contains a null map key"
                    : "contains a map key of type " + entry.getKey().getClass().getTypeName()
                    + "; map keys must be Strings");
            }
            g.writeName(key);
            write(g, entry.getValue(), valueDepth);
        }
        g.writeEndObject();
    }

    private static void writeArray(JsonGenerator g, Object array, int depth) {
        // byte[] and char[] read as binary data or text rather than SQL arrays: refuse instead of guessing.
        if (array instanceof byte[] || array instanceof char[]) {
            throw unsupported(array, depth);
        }
        int elementDepth = nested(depth);
        g.writeStartArray();
        if (array instanceof Object[] objects) {
            for (Object element : objects) {
                write(g, element, elementDepth);
            }
        } else if (array instanceof int[] ints) {
            for (int element : ints) {
                g.writeNumber(element);
            }
        } else if (array instanceof long[] longs) {
            for (long element : longs) {
                g.writeNumber(element);
            }
        } else if (array instanceof double[] doubles) {
            for (double element : doubles) {
                writeDouble(g, element);
            }
        } else if (array instanceof float[] floats) {
            for (float element : floats) {
                writeFloat(g, element);
            }
        } else if (array instanceof short[] shorts) {
            for (short element : shorts) {
                g.writeNumber(element);
            }
        } else {
            for (boolean element : (boolean[]) array) {
                g.writeBoolean(element);
            }
        }
        g.writeEndArray();
    }

    private static long epochMillis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is a point in time beyond the range of epoch milliseconds");
        }
    }

    private static int nested(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("nests maps, collections or arrays deeper than " + MAX_DEPTH
                + " levels (does it contain itself?)");
        }
        return depth + 1;
    }

    private static IllegalArgumentException unsupported(Object value, int depth) {
        return new IllegalArgumentException((depth == 0 ? "has unsupported type " : "contains a value of unsupported type ")
            + value.getClass().getTypeName() + "; " + SUPPORTED);
    }
}
