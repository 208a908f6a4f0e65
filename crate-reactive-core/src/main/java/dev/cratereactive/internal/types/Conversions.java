package dev.cratereactive.internal.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Date;
import java.util.UUID;

/**
 * The conversions of {@link dev.cratereactive.Row#get(int, Class)}. Numbers convert only when the result is
 * numerically equal to the value (BigDecimal from a float or double takes the decimal Java prints for it);
 * timestamps are read in UTC.
 */
final class Conversions {

    private static final double TWO_POW_63 = 0x1p63;

    private Conversions() {
    }

    static <T> T convert(Object value, Class<T> type, Columns columns, int index) {
        if (value == null) {
            return null;
        }
        Class<?> target = type.isPrimitive() ? box(type) : type;
        Object result = target.isInstance(value) ? value : convertOther(value, target, columns, index);
        if (result == null) {
            throw refused(value, target, columns, index, isNumeric(target) && value instanceof Number
                ? "not without loss" : "no such conversion");
        }
        @SuppressWarnings("unchecked")
        T converted = (T) result;
        return converted;
    }

    /** The text of a value: {@code toString()}, except for the types whose {@code toString()} is not their text. */
    static String text(Object value) {
        if (value instanceof InetAddress address) {
            return address.getHostAddress();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof double[] doubles) {
            return Arrays.toString(doubles);
        }
        if (value instanceof float[] floats) {
            return Arrays.toString(floats);
        }
        return String.valueOf(value);
    }

    /** @return the converted value, or {@code null} when there is no lossless conversion */
    private static Object convertOther(Object value, Class<?> target, Columns columns, int index) {
        if (target == String.class) {
            return text(value);
        }
        Instant instant = instantOf(value, target);
        if (instant != null) {
            return fromInstant(instant, target);
        }
        if (value instanceof Number number && isNumeric(target)) {
            return number(number, target);
        }
        if (value instanceof String text) {
            if (target == UUID.class) {
                try {
                    return UUID.fromString(text);
                } catch (IllegalArgumentException e) {
                    // UUID's message quotes the value; ours names only the column.
                    throw refused(value, target, columns, index, "the text is not a UUID");
                }
            }
            if (target.isEnum()) {
                for (Object constant : target.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equals(text)) {
                        return constant;
                    }
                }
                throw refused(value, target, columns, index, "the text names no constant of the enum");
            }
        }
        return null;
    }

    /** @return the instant a timestamp-like value stands for, or {@code null} if it is none or the target is not a time */
    private static Instant instantOf(Object value, Class<?> target) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof LocalDateTime dateTime) {
            return dateTime.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof LocalDate date) {
            return date.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (value instanceof OffsetDateTime dateTime) {
            return dateTime.toInstant();
        }
        if (value instanceof ZonedDateTime dateTime) {
            return dateTime.toInstant();
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        // Epoch milliseconds, as a response without col_types carries timestamps.
        if ((value instanceof Long || value instanceof Integer) && isTime(target)) {
            return Instant.ofEpochMilli(((Number) value).longValue());
        }
        return null;
    }

    private static Object fromInstant(Instant instant, Class<?> target) {
        if (target == Instant.class) {
            return instant;
        }
        if (target == OffsetDateTime.class) {
            return instant.atOffset(ZoneOffset.UTC);
        }
        if (target == ZonedDateTime.class) {
            return instant.atZone(ZoneOffset.UTC);
        }
        if (target == LocalDateTime.class) {
            return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
        if (target == Date.class) {
            return Date.from(instant);
        }
        if (target == LocalDate.class) {
            LocalDateTime dateTime = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
            return dateTime.toLocalTime().equals(LocalTime.MIDNIGHT) ? dateTime.toLocalDate() : null;
        }
        if (target == Long.class && instant.getNano() % 1_000_000 == 0) {
            try {
                return instant.toEpochMilli();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    private static Object number(Number number, Class<?> target) {
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return fromLong(number.longValue(), target);
        }
        if (number instanceof Double || number instanceof Float) {
            return fromDouble(number.doubleValue(), number instanceof Float, target);
        }
        if (number instanceof BigDecimal decimal) {
            return fromDecimal(decimal, target);
        }
        if (number instanceof BigInteger integer) {
            return fromDecimal(new BigDecimal(integer), target);
        }
        return null;
    }

    private static Object fromLong(long value, Class<?> target) {
        if (target == Long.class) {
            return value;
        }
        if (target == Integer.class) {
            return (int) value == value ? (Object) (int) value : null;
        }
        if (target == Short.class) {
            return (short) value == value ? (Object) (short) value : null;
        }
        if (target == Byte.class) {
            return (byte) value == value ? (Object) (byte) value : null;
        }
        if (target == Double.class) {
            double converted = value;
            // (long) saturates at 2^63, which would make Long.MAX_VALUE look exact.
            return converted != TWO_POW_63 && (long) converted == value ? (Object) converted : null;
        }
        if (target == Float.class) {
            float converted = value;
            return converted != TWO_POW_63 && (long) converted == value ? (Object) converted : null;
        }
        if (target == BigInteger.class) {
            return BigInteger.valueOf(value);
        }
        return BigDecimal.valueOf(value);
    }

    private static Object fromDouble(double value, boolean isFloat, Class<?> target) {
        if (target == Double.class) {
            return value;
        }
        if (target == Float.class) {
            float converted = (float) value;
            return isFloat || Double.isNaN(value) || converted == value ? (Object) converted : null;
        }
        if (!Double.isFinite(value)) {
            return null;
        }
        if (target == BigDecimal.class) {
            return isFloat ? new BigDecimal(Float.toString((float) value)) : BigDecimal.valueOf(value);
        }
        return fromDecimal(new BigDecimal(value), target);
    }

    private static Object fromDecimal(BigDecimal value, Class<?> target) {
        try {
            if (target == BigDecimal.class) {
                return value;
            }
            if (target == BigInteger.class) {
                return value.toBigIntegerExact();
            }
            if (target == Long.class) {
                return value.longValueExact();
            }
            if (target == Integer.class) {
                return value.intValueExact();
            }
            if (target == Short.class) {
                return value.shortValueExact();
            }
            if (target == Byte.class) {
                return value.byteValueExact();
            }
            if (target == Double.class) {
                double converted = value.doubleValue();
                return Double.isFinite(converted) && new BigDecimal(converted).compareTo(value) == 0
                    ? (Object) converted : null;
            }
            float converted = value.floatValue();
            return Float.isFinite(converted) && new BigDecimal(converted).compareTo(value) == 0
                ? (Object) converted : null;
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static boolean isNumeric(Class<?> type) {
        return type == Long.class || type == Integer.class || type == Short.class || type == Byte.class
            || type == Double.class || type == Float.class || type == BigDecimal.class || type == BigInteger.class;
    }

    private static boolean isTime(Class<?> type) {
        return type == Instant.class || type == OffsetDateTime.class || type == ZonedDateTime.class
            || type == LocalDateTime.class || type == LocalDate.class || type == Date.class;
    }

    private static Class<?> box(Class<?> primitive) {
        if (primitive == int.class) {
            return Integer.class;
        }
        if (primitive == long.class) {
            return Long.class;
        }
        if (primitive == double.class) {
            return Double.class;
        }
        if (primitive == float.class) {
            return Float.class;
        }
        if (primitive == short.class) {
            return Short.class;
        }
        if (primitive == byte.class) {
            return Byte.class;
        }
        if (primitive == boolean.class) {
            return Boolean.class;
        }
        if (primitive == char.class) {
            return Character.class;
        }
        return Void.class;
    }

    private static IllegalArgumentException refused(Object value, Class<?> target, Columns columns, int index,
                                                    String reason) {
        return new IllegalArgumentException("cannot convert column '" + columns.name(index) + "' ("
            + columns.type(index) + ") value of type " + value.getClass().getName() + " to " + target.getName()
            + ": " + reason);
    }
}
