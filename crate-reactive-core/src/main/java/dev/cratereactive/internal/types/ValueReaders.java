package dev.cratereactive.internal.types;

import dev.cratereactive.CrateType;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import tools.jackson.core.JsonParser;

/**
 * The {@link ValueReader} of every CrateDB type, as the "Value mapping" of the design describes: BIGINT is a
 * {@link Long}, NUMERIC an exact {@link java.math.BigDecimal}, TIMESTAMP WITH TIME ZONE an {@link Instant},
 * arrays unmodifiable {@code List}s whose elements use the element type's reader, and so on. Types without a
 * dedicated mapping (NULL, NOT_SUPPORTED, ROW, ids this client does not know) and columns without
 * {@code col_types} map by JSON token.
 */
public final class ValueReaders {

    private static final ValueReader UNTYPED = new Untyped();
    private static final ValueReader BOOLEAN = new BooleanReader();
    private static final ValueReader TEXT = new TextReader();
    private static final ValueReader CHAR = new CharReader();
    private static final ValueReader SMALLINT = PrimitiveReader.SMALLINT;
    private static final ValueReader INTEGER = PrimitiveReader.INTEGER;
    private static final ValueReader BIGINT = PrimitiveReader.BIGINT;
    private static final ValueReader REAL = PrimitiveReader.REAL;
    private static final ValueReader DOUBLE = PrimitiveReader.DOUBLE;
    private static final ValueReader NUMERIC = new NumericReader();
    private static final ValueReader TIMESTAMP_TZ = PrimitiveReader.TIMESTAMP_TZ;
    private static final ValueReader TIMESTAMP = PrimitiveReader.TIMESTAMP;
    private static final ValueReader DATE = PrimitiveReader.DATE;
    private static final ValueReader TIMETZ = new TimeTzReader();
    private static final ValueReader IP = new IpReader();
    private static final ValueReader OBJECT = new ObjectReader();
    private static final ValueReader GEO_POINT = new GeoPointReader();
    private static final ValueReader FLOAT_VECTOR = new FloatVectorReader();
    private static final ValueReader OIDVECTOR = new ArrayReader(INTEGER);
    private static final ValueReader[] BY_ID = byId();

    private ValueReaders() {
    }

    /** @return the reader that maps by JSON token: string, Integer/Long/BigInteger, Double, Boolean, Map, List */
    public static ValueReader untyped() {
        return UNTYPED;
    }

    /**
     * @param type a column type from {@code col_types}
     * @return its reader; arrays get a reader for their element type
     */
    public static ValueReader forType(CrateType type) {
        if (type.isArray()) {
            return new ArrayReader(forType(type.elementType()));
        }
        return type.id() < BY_ID.length ? BY_ID[type.id()] : UNTYPED;
    }

    private static ValueReader[] byId() {
        ValueReader[] byId = new ValueReader[CrateType.REGTYPE.id() + 1];
        Arrays.fill(byId, UNTYPED);
        register(byId, CHAR, CrateType.CHAR);
        register(byId, BOOLEAN, CrateType.BOOLEAN);
        register(byId, TEXT, CrateType.TEXT, CrateType.CHARACTER, CrateType.REGPROC, CrateType.INTERVAL, CrateType.BIT,
            CrateType.JSON);
        register(byId, IP, CrateType.IP);
        register(byId, DOUBLE, CrateType.DOUBLE);
        register(byId, REAL, CrateType.REAL);
        register(byId, SMALLINT, CrateType.SMALLINT);
        register(byId, INTEGER, CrateType.INTEGER, CrateType.REGCLASS, CrateType.REGTYPE);
        register(byId, BIGINT, CrateType.BIGINT);
        register(byId, TIMESTAMP_TZ, CrateType.TIMESTAMP_WITH_TIME_ZONE);
        register(byId, TIMESTAMP, CrateType.TIMESTAMP_WITHOUT_TIME_ZONE);
        register(byId, DATE, CrateType.DATE);
        register(byId, TIMETZ, CrateType.TIMETZ);
        register(byId, OBJECT, CrateType.OBJECT, CrateType.UNCHECKED_OBJECT, CrateType.GEO_SHAPE);
        register(byId, GEO_POINT, CrateType.GEO_POINT);
        register(byId, OIDVECTOR, CrateType.OIDVECTOR);
        register(byId, NUMERIC, CrateType.NUMERIC);
        register(byId, FLOAT_VECTOR, CrateType.FLOAT_VECTOR);
        return byId;
    }

    private static void register(ValueReader[] byId, ValueReader reader, CrateType... types) {
        for (CrateType type : types) {
            byId[type.id()] = reader;
        }
    }

    private static final class Untyped extends ValueReader {
        Untyped() {
            super("any JSON value");
        }

        @Override
        public Object fromString(JsonParser parser) {
            return parser.getString();
        }

        @Override
        public Object fromInt(JsonParser parser) {
            switch (parser.getNumberType()) {
                case INT: return parser.getIntValue();
                case LONG: return parser.getLongValue();
                default: return parser.getBigIntegerValue();
            }
        }

        @Override
        public Object fromFloat(JsonParser parser) {
            return parser.getDoubleValue();
        }

        @Override
        public Object fromBoolean(boolean value) {
            return value;
        }

        @Override
        public ValueBuilder startArray() {
            return new ListBuilder(this);
        }

        @Override
        public ValueBuilder startObject() {
            return new MapBuilder();
        }
    }

    private static final class BooleanReader extends ValueReader {
        BooleanReader() {
            super("a JSON boolean");
        }

        @Override
        public Object fromBoolean(boolean value) {
            return value;
        }
    }

    private static final class TextReader extends ValueReader {
        TextReader() {
            super("a JSON string");
        }

        @Override
        public Object fromString(JsonParser parser) {
            return parser.getString();
        }
    }

    private static final class CharReader extends ValueReader {
        CharReader() {
            super("a JSON integer from -128 to 127");
        }

        @Override
        public Object fromInt(JsonParser parser) {
            int value = parser.getIntValue();
            if (value < Byte.MIN_VALUE || value > Byte.MAX_VALUE) {
                throw unexpected("an integer out of range");
            }
            return (byte) value;
        }
    }

    private static final class NumericReader extends ValueReader {
        NumericReader() {
            super("a JSON number");
        }

        @Override
        public Object fromInt(JsonParser parser) {
            return parser.getDecimalValue();
        }

        @Override
        public Object fromFloat(JsonParser parser) {
            return parser.getDecimalValue();
        }
    }

    private static final class TimeTzReader extends ValueReader {
        TimeTzReader() {
            super("a JSON array [micros_of_day, offset_seconds]");
        }

        @Override
        public ValueBuilder startArray() {
            return new TimeTzBuilder();
        }
    }

    private static final class IpReader extends ValueReader {
        IpReader() {
            super("a JSON string holding an IP address");
        }

        @Override
        public Object fromString(JsonParser parser) {
            byte[] address = NetUtil.createByteArrayFromIpAddressString(parser.getString());
            if (address == null) {
                throw unexpected("a string that is not an IP address");
            }
            try {
                // Literal bytes: no name service lookup.
                return InetAddress.getByAddress(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("IP address of illegal length " + address.length, e);
            }
        }
    }

    private static final class ObjectReader extends ValueReader {
        ObjectReader() {
            super("a JSON object");
        }

        @Override
        public ValueBuilder startObject() {
            return new MapBuilder();
        }
    }

    private static final class GeoPointReader extends ValueReader {
        GeoPointReader() {
            super("a JSON array [longitude, latitude]");
        }

        @Override
        public ValueBuilder startArray() {
            return new GeoPointBuilder();
        }
    }

    private static final class FloatVectorReader extends ValueReader {
        FloatVectorReader() {
            super("a JSON array of numbers");
        }

        @Override
        public ValueBuilder startArray() {
            return new FloatVectorBuilder();
        }
    }

    private static final class ArrayReader extends ValueReader {
        private final ValueReader element;

        ArrayReader(ValueReader element) {
            super("a JSON array");
            this.element = element;
        }

        @Override
        public ValueBuilder startArray() {
            return new ListBuilder(element);
        }
    }

    private static final class ListBuilder extends ValueBuilder {
        private final ValueReader element;
        private final ArrayList<Object> values = new ArrayList<>();

        ListBuilder(ValueReader element) {
            this.element = element;
        }

        @Override
        public ValueReader childReader() {
            return element;
        }

        @Override
        public void add(Object value) {
            values.add(value);
        }

        @Override
        public Object build() {
            // Not List.copyOf: SQL arrays may hold NULL elements.
            return Collections.unmodifiableList(values);
        }
    }

    private static final class MapBuilder extends ValueBuilder {
        private final LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        private String name;

        @Override
        public ValueReader childReader() {
            return UNTYPED;
        }

        @Override
        public void name(String name) {
            this.name = name;
        }

        @Override
        public void add(Object value) {
            values.put(name, value);
        }

        @Override
        public Object build() {
            return Collections.unmodifiableMap(values);
        }
    }

    private static final class GeoPointBuilder extends ValueBuilder {
        private final double[] coordinates = new double[2];
        private int count;

        @Override
        public ValueReader childReader() {
            return DOUBLE;
        }

        @Override
        public void add(Object value) {
            if (value == null || count == 2) {
                throw new IllegalArgumentException("expected a GEO_POINT [longitude, latitude] of two numbers");
            }
            coordinates[count++] = ((Number) value).doubleValue();
        }

        @Override
        public Object build() {
            if (count != 2) {
                throw new IllegalArgumentException("expected a GEO_POINT [longitude, latitude] of two numbers, got "
                    + count);
            }
            return coordinates;
        }
    }

    private static final class FloatVectorBuilder extends ValueBuilder {
        private float[] values = new float[16];
        private int size;

        @Override
        public ValueReader childReader() {
            return REAL;
        }

        @Override
        public void add(Object value) {
            if (value == null) {
                throw new IllegalArgumentException("expected a FLOAT_VECTOR element, got null");
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = ((Number) value).floatValue();
        }

        @Override
        public Object build() {
            return Arrays.copyOf(values, size);
        }
    }

    private static final class TimeTzBuilder extends ValueBuilder {
        private final long[] parts = new long[2];
        private int count;

        @Override
        public ValueReader childReader() {
            return BIGINT;
        }

        @Override
        public void add(Object value) {
            if (value == null || count == 2) {
                throw new IllegalArgumentException("expected a TIMETZ [micros_of_day, offset_seconds]");
            }
            parts[count++] = (Long) value;
        }

        @Override
        public Object build() {
            if (count != 2) {
                throw new IllegalArgumentException("expected a TIMETZ [micros_of_day, offset_seconds], got "
                    + count + " numbers");
            }
            return OffsetTime.of(LocalTime.ofNanoOfDay(Math.multiplyExact(parts[0], 1000L)),
                ZoneOffset.ofTotalSeconds(Math.toIntExact(parts[1])));
        }
    }
}
