package dev.cratereactive;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A column type as CrateDB's HTTP endpoint reports it in {@code col_types}: a numeric id (0 to 30), or
 * {@link #ARRAY_ID 100} with an element type for arrays, which may nest ({@code [100, [100, 9]]}).
 *
 * <p>Instances are immutable; the scalar types are constants, array types are made by
 * {@link #arrayOf(CrateType)}, and ids this client does not know are kept by {@link #of(int)} so that a
 * newer server still works (their values map by JSON token).
 */
public final class CrateType {

    /** The id CrateDB uses for arrays; the element type follows it in {@code col_types}. */
    public static final int ARRAY_ID = 100;

    /** {@code NULL}: the type of an untyped {@code NULL} literal (id 0). */
    public static final CrateType NULL = new CrateType(0, "NULL", null);
    /** A type the HTTP endpoint cannot describe (id 1). */
    public static final CrateType NOT_SUPPORTED = new CrateType(1, "NOT_SUPPORTED", null);
    /** {@code "char"}: a single byte (id 2), read as {@link Byte}. */
    public static final CrateType CHAR = new CrateType(2, "CHAR", null);
    /** {@code BOOLEAN} (id 3), read as {@link Boolean}. */
    public static final CrateType BOOLEAN = new CrateType(3, "BOOLEAN", null);
    /** {@code TEXT} / {@code VARCHAR(n)} (id 4), read as {@link String}. */
    public static final CrateType TEXT = new CrateType(4, "TEXT", null);
    /** {@code IP} (id 5), read as {@link java.net.InetAddress} without any DNS lookup. */
    public static final CrateType IP = new CrateType(5, "IP", null);
    /** {@code DOUBLE PRECISION} (id 6), read as {@link Double}; NaN and infinities included. */
    public static final CrateType DOUBLE = new CrateType(6, "DOUBLE", null);
    /** {@code REAL} (id 7), read as {@link Float}; NaN and infinities included. */
    public static final CrateType REAL = new CrateType(7, "REAL", null);
    /** {@code SMALLINT} (id 8), read as {@link Short}. */
    public static final CrateType SMALLINT = new CrateType(8, "SMALLINT", null);
    /** {@code INTEGER} (id 9), read as {@link Integer}. */
    public static final CrateType INTEGER = new CrateType(9, "INTEGER", null);
    /** {@code BIGINT} (id 10), read as {@link Long}. */
    public static final CrateType BIGINT = new CrateType(10, "BIGINT", null);
    /** {@code TIMESTAMP WITH TIME ZONE} (id 11), read as {@link java.time.Instant}. */
    public static final CrateType TIMESTAMP_WITH_TIME_ZONE = new CrateType(11, "TIMESTAMP WITH TIME ZONE", null);
    /** {@code OBJECT} (id 12), read as {@code Map<String, Object>}. */
    public static final CrateType OBJECT = new CrateType(12, "OBJECT", null);
    /** {@code GEO_POINT} (id 13), read as {@code double[] {longitude, latitude}}. */
    public static final CrateType GEO_POINT = new CrateType(13, "GEO_POINT", null);
    /** {@code GEO_SHAPE} (id 14), read as a GeoJSON {@code Map<String, Object>}. */
    public static final CrateType GEO_SHAPE = new CrateType(14, "GEO_SHAPE", null);
    /** {@code TIMESTAMP WITHOUT TIME ZONE} (id 15), read as {@link java.time.LocalDateTime}. */
    public static final CrateType TIMESTAMP_WITHOUT_TIME_ZONE = new CrateType(15, "TIMESTAMP WITHOUT TIME ZONE", null);
    /** An object with unchecked contents (id 16), read as {@code Map<String, Object>}. */
    public static final CrateType UNCHECKED_OBJECT = new CrateType(16, "UNCHECKED_OBJECT", null);
    /** {@code INTERVAL} (id 17), read as the server's text, e.g. {@code "1 day 02:00:03"}. */
    public static final CrateType INTERVAL = new CrateType(17, "INTERVAL", null);
    /** A row (record) value (id 18), read by JSON token. */
    public static final CrateType ROW = new CrateType(18, "ROW", null);
    /** {@code REGPROC} (id 19), read as {@link String}. */
    public static final CrateType REGPROC = new CrateType(19, "REGPROC", null);
    /** {@code TIME WITH TIME ZONE} (id 20), sent as {@code [micros_of_day, offset_seconds]}, read as {@link java.time.OffsetTime}. */
    public static final CrateType TIMETZ = new CrateType(20, "TIMETZ", null);
    /** {@code OIDVECTOR} (id 21), read as a {@code List<Integer>}. */
    public static final CrateType OIDVECTOR = new CrateType(21, "OIDVECTOR", null);
    /** {@code NUMERIC} (id 22), read as {@link java.math.BigDecimal} from the exact JSON token. */
    public static final CrateType NUMERIC = new CrateType(22, "NUMERIC", null);
    /** {@code REGCLASS} (id 23), read as an {@link Integer} oid. */
    public static final CrateType REGCLASS = new CrateType(23, "REGCLASS", null);
    /** {@code DATE} (id 24), sent as epoch milliseconds, read as {@link java.time.LocalDate}. */
    public static final CrateType DATE = new CrateType(24, "DATE", null);
    /** {@code BIT(n)} (id 25), read as the server's text, e.g. {@code "B'1010'"}. */
    public static final CrateType BIT = new CrateType(25, "BIT", null);
    /** {@code JSON} (id 26), read as the JSON text. */
    public static final CrateType JSON = new CrateType(26, "JSON", null);
    /** {@code CHARACTER(n)} (id 27), read as the blank-padded {@link String}. */
    public static final CrateType CHARACTER = new CrateType(27, "CHARACTER", null);
    /** {@code FLOAT_VECTOR(n)} (id 28), read as {@code float[]}. */
    public static final CrateType FLOAT_VECTOR = new CrateType(28, "FLOAT_VECTOR", null);
    /** {@code REGTYPE} (id 30), read as an {@link Integer} oid. */
    public static final CrateType REGTYPE = new CrateType(30, "REGTYPE", null);

    private static final CrateType[] SCALARS = {
        NULL, NOT_SUPPORTED, CHAR, BOOLEAN, TEXT, IP, DOUBLE, REAL, SMALLINT, INTEGER, BIGINT,
        TIMESTAMP_WITH_TIME_ZONE, OBJECT, GEO_POINT, GEO_SHAPE, TIMESTAMP_WITHOUT_TIME_ZONE, UNCHECKED_OBJECT,
        INTERVAL, ROW, REGPROC, TIMETZ, OIDVECTOR, NUMERIC, REGCLASS, DATE, BIT, JSON, CHARACTER, FLOAT_VECTOR,
        new CrateType(29, "TYPE_29", null), REGTYPE
    };

    private final int id;
    private final String name;
    private final CrateType elementType;

    private CrateType(int id, String name, CrateType elementType) {
        this.id = id;
        this.name = name;
        this.elementType = elementType;
    }

    /**
     * The type with this scalar id. Ids this client does not know yield a type named {@code TYPE_<id>}.
     *
     * @param id a {@code col_types} id other than {@link #ARRAY_ID}
     * @return the type, never {@code null}
     * @throws IllegalArgumentException if {@code id} is {@link #ARRAY_ID} (use {@link #arrayOf}) or negative
     */
    public static CrateType of(int id) {
        if (id >= 0 && id < SCALARS.length) {
            return SCALARS[id];
        }
        if (id == ARRAY_ID) {
            throw new IllegalArgumentException("type id 100 is ARRAY and needs an element type: use CrateType.arrayOf");
        }
        if (id < 0) {
            throw new IllegalArgumentException("type id must not be negative, was " + id);
        }
        return new CrateType(id, "TYPE_" + id, null);
    }

    /**
     * The array type whose elements have {@code elementType}.
     *
     * @param elementType the element type, itself possibly an array
     * @return {@code ARRAY(elementType)}
     */
    public static CrateType arrayOf(CrateType elementType) {
        Objects.requireNonNull(elementType, "elementType");
        return new CrateType(ARRAY_ID, "ARRAY(" + elementType.name + ")", elementType);
    }

    /** @return the numeric id: 0 to 30 for scalars, {@link #ARRAY_ID} for arrays */
    public int id() {
        return id;
    }

    /** @return the SQL-like name, e.g. {@code BIGINT} or {@code ARRAY(ARRAY(INTEGER))} */
    public String name() {
        return name;
    }

    /** @return whether this is an array type */
    public boolean isArray() {
        return id == ARRAY_ID;
    }

    /** @return the element type of an array type, or {@code null} for a scalar type */
    public @Nullable CrateType elementType() {
        return elementType;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof CrateType other && other.id == id && Objects.equals(other.elementType, elementType);
    }

    @Override
    public int hashCode() {
        return 31 * id + Objects.hashCode(elementType);
    }

    @Override
    public String toString() {
        return name;
    }
}
