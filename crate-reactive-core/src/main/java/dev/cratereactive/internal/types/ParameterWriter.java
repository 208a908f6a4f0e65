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
 * Writes one statement parameter as the JSON CrateDB expects: numbers as numbers (BigDecimal exactly, NaN and
 * the infinities as the strings CrateDB accepts), points in time as epoch milliseconds, dates and times as ISO
 * text, maps as objects and collections and arrays as arrays.
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
            // The generator writes it plain (WRITE_BIGDECIMAL_AS_PLAIN): no exponent CrateDB could read as double.
            g.writeNumber(decimal);
        } else if (number instanceof BigInteger integer) {
            g.writeNumber(integer);
        } else {
            // AtomicLong, LongAdder, ...: their text is their exact value.
            BigDecimal exact;
            try {
                exact = new BigDecimal(number.toString());
            } catch (NumberFormatException e) {
                throw unsupported(number, depth);
            }
            g.writeNumber(exact);
        }
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
