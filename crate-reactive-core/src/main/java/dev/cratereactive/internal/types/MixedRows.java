package dev.cratereactive.internal.types;

import dev.cratereactive.CrateType;
import org.jspecify.annotations.Nullable;

/**
 * {@link StoredRow}s that keep the values of {@link PrimitiveReader} columns (numbers, timestamps) unboxed in
 * {@code long} fields and the other values in reference fields: one object per row, where {@link FieldRows} needs
 * the row plus a 16-24 byte box per number. {@code get(i)} boxes on demand; {@code getLong(i)},
 * {@code getInt(i)} and {@code getDouble(i)} read the bits. A result uses these rows when its {@link Layout} is
 * smaller than the boxed row with its boxes.
 *
 * <p>Each class of the chain adds one reference and one {@code long} field (as {@link FieldRows} adds one
 * reference), so a row of {@code r} references and {@code p} numbers is the class of width {@code max(r, p)}. A row
 * holds no columns reference and no null flags of its own: one {@link Shape} per result and pattern of NULLs
 * carries both, which keeps e.g. {@code [BIGINT, TEXT, DOUBLE]} at 40 bytes per row.
 */
final class MixedRows {

    /** The widest row kept in fields, as for {@link FieldRows}. */
    static final int MAX_WIDTH = FieldRows.MAX_WIDTH;

    private static final int HEADER = 12; // object header with compressed class pointers
    private static final int REFERENCE = 4; // compressed references
    private static final int SHAPES = 4;

    private MixedRows() {
    }

    /**
     * Where each column of a result is kept: in which slot, boxed or not. One per {@link Columns}; immutable but
     * for its cache of {@link Shape}s.
     */
    static final class Layout {
        /** By column: its reader when the value is kept unboxed, else {@code null}. */
        final @Nullable PrimitiveReader[] primitives;
        /** By column: its slot among the reference fields or among the {@code long} fields. */
        final int[] slots;
        /** The class of the chain: {@code max(references, numbers)}. */
        final int width;
        /** The first patterns of NULLs seen (up to four), made when first needed; later ones get a shape per row. */
        private final Shape[] shapes = new Shape[SHAPES];

        private Layout(@Nullable PrimitiveReader[] primitives, int[] slots, int width) {
            this.primitives = primitives;
            this.slots = slots;
            this.width = width;
        }

        // A race (rows of one result built on two threads) at worst makes an equal shape twice: its fields are final.
        Shape shape(Columns columns, int nulls) {
            for (int i = 0; i < SHAPES; i++) {
                Shape shape = shapes[i];
                if (shape == null) {
                    shape = new Shape(columns, nulls);
                    shapes[i] = shape;
                    return shape;
                }
                if (shape.nulls == nulls) {
                    return shape;
                }
            }
            return new Shape(columns, nulls);
        }
    }

    /** The columns of a result and which of its unboxed values are NULL; shared by the rows alike. */
    static final class Shape {
        final Columns columns;
        /** Bit {@code i} set when unboxed column {@code i} is NULL. */
        final int nulls;

        Shape(Columns columns, int nulls) {
            this.columns = columns;
            this.nulls = nulls;
        }
    }

    /**
     * @param types the column types of a result
     * @return its layout, or {@code null} when boxed rows ({@link FieldRows}, {@link ArrayRow}) are smaller or
     *     the result is wider than {@link #MAX_WIDTH}
     */
    static @Nullable Layout layout(CrateType[] types) {
        int width = types.length;
        if (width == 0 || width > MAX_WIDTH) {
            return null;
        }
        PrimitiveReader[] primitives = null;
        int[] slots = new int[width];
        int references = 0;
        int numbers = 0;
        int boxes = 0;
        for (int i = 0; i < width; i++) {
            ValueReader reader = types[i].isArray() ? null : ValueReaders.forType(types[i]);
            if (reader instanceof PrimitiveReader primitive) {
                if (primitives == null) {
                    primitives = new PrimitiveReader[width];
                }
                primitives[i] = primitive;
                slots[i] = numbers++;
                boxes += primitive.boxedBytes();
            } else {
                slots[i] = references++;
            }
        }
        if (primitives == null) {
            return null;
        }
        int mixedWidth = Math.max(references, numbers);
        int mixed = align(HEADER + REFERENCE + mixedWidth * (REFERENCE + Long.BYTES)); // shape
        int boxed = align(HEADER + REFERENCE + width * REFERENCE) + boxes;
        return mixed <= boxed ? new Layout(primitives, slots, mixedWidth) : null;
    }

    private static int align(int bytes) {
        return (bytes + 7) & ~7;
    }

    /**
     * @param columns the result's columns; {@link Columns#layout()} is not {@code null}
     * @param refs by slot: the values of the reference columns
     * @param longs by slot: the bits of the unboxed columns
     * @param nulls by column: bit {@code i} set when column {@code i} is unboxed and SQL {@code NULL}
     * @return the row; the arrays (at least {@link Layout#width} long) are copied, the caller may reuse them
     */
    static StoredRow of(Columns columns, Object[] refs, long[] longs, int nulls) {
        Layout layout = columns.layout();
        Shape shape = layout.shape(columns, nulls);
        switch (layout.width) {
            case 1: return new Mixed1(shape, refs, longs);
            case 2: return new Mixed2(shape, refs, longs);
            case 3: return new Mixed3(shape, refs, longs);
            case 4: return new Mixed4(shape, refs, longs);
            case 5: return new Mixed5(shape, refs, longs);
            case 6: return new Mixed6(shape, refs, longs);
            case 7: return new Mixed7(shape, refs, longs);
            case 8: return new Mixed8(shape, refs, longs);
            default: throw new IllegalArgumentException("no mixed row of width " + layout.width);
        }
    }

    /** A row of the chain: reference slots {@link #ref}, {@code long} slots {@link #bits}, and the null bits. */
    abstract static class MixedRow extends StoredRow {
        private static final long TWO_POW_53 = 1L << 53;

        private final Shape shape;

        MixedRow(Shape shape) {
            this.shape = shape;
        }

        @Override
        final Columns columns() {
            return shape.columns;
        }

        abstract Object ref(int slot);

        abstract long bits(int slot);

        @Override
        final Object value(int index) {
            Layout layout = columns().layout();
            PrimitiveReader primitive = layout.primitives[index];
            if (primitive == null) {
                return ref(layout.slots[index]);
            }
            return (shape.nulls & (1 << index)) != 0 ? null : primitive.box(bits(layout.slots[index]));
        }

        @Override
        public final int size() {
            return columns().size();
        }

        /** @return the column's reader when its value is unboxed and not NULL, else {@code null} (use the box) */
        private PrimitiveReader unboxed(int index) {
            PrimitiveReader primitive = columns().layout().primitives[index];
            return primitive == null || (shape.nulls & (1 << index)) != 0 ? null : primitive;
        }

        @Override
        public final long getLong(int index) {
            PrimitiveReader primitive = unboxed(index);
            if (primitive != null && primitive.kind() == PrimitiveReader.Kind.INTEGRAL) {
                return bits(columns().layout().slots[index]);
            }
            return super.getLong(index);
        }

        @Override
        public final int getInt(int index) {
            PrimitiveReader primitive = unboxed(index);
            if (primitive != null && primitive.kind() == PrimitiveReader.Kind.INTEGRAL) {
                long value = bits(columns().layout().slots[index]);
                if ((int) value == value) {
                    return (int) value;
                }
            }
            return super.getInt(index);
        }

        @Override
        public final double getDouble(int index) {
            PrimitiveReader primitive = unboxed(index);
            if (primitive != null) {
                long bits = bits(columns().layout().slots[index]);
                switch (primitive.kind()) {
                    case DOUBLE: return Double.longBitsToDouble(bits);
                    case FLOAT: return Float.intBitsToFloat((int) bits);
                    case INTEGRAL:
                        if (Math.abs(bits) <= TWO_POW_53) {
                            return bits;
                        }
                        break;
                    default:
                        break;
                }
            }
            return super.getDouble(index);
        }
    }

    private static class Mixed1 extends MixedRow {
        private final Object r0;
        private final long p0;

        Mixed1(Shape shape, Object[] refs, long[] longs) {
            super(shape);
            this.r0 = refs[0];
            this.p0 = longs[0];
        }

        @Override
        Object ref(int slot) {
            if (slot == 0) {
                return r0;
            }
            throw outOfBounds(slot, 1);
        }

        @Override
        long bits(int slot) {
            if (slot == 0) {
                return p0;
            }
            throw outOfBounds(slot, 1);
        }
    }

    private static class Mixed2 extends Mixed1 {
        private final Object r1;
        private final long p1;

        Mixed2(Shape shape, Object[] refs, long[] longs) {
            super(shape, refs, longs);
            this.r1 = refs[1];
            this.p1 = longs[1];
        }

        @Override
        Object ref(int slot) {
            return slot == 1 ? r1 : super.ref(slot);
        }

        @Override
        long bits(int slot) {
            return slot == 1 ? p1 : super.bits(slot);
        }
    }

    private static class Mixed3 extends Mixed2 {
        private final Object r2;
        private final long p2;

        Mixed3(Shape shape, Object[] refs, long[] longs) {
            super(shape, refs, longs);
            this.r2 = refs[2];
            this.p2 = longs[2];
        }

        @Override
        Object ref(int slot) {
            return slot == 2 ? r2 : super.ref(slot);
        }

        @Override
        long bits(int slot) {
            return slot == 2 ? p2 : super.bits(slot);
        }
    }

    private static class Mixed4 extends Mixed3 {
        private final Object r3;
        private final long p3;

        Mixed4(Shape shape, Object[] refs, long[] longs) {
            super(shape, refs, longs);
            this.r3 = refs[3];
            this.p3 = longs[3];
        }

        @Override
        Object ref(int slot) {
            return slot == 3 ? r3 : super.ref(slot);
        }

        @Override
        long bits(int slot) {
            return slot == 3 ? p3 : super.bits(slot);
        }
    }

    private static class Mixed5 extends Mixed4 {
        private final Object r4;
        private final long p4;

        Mixed5(Shape shape, Object[] refs, long[] longs) {
            super(shape, refs, longs);
            this.r4 = refs[4];
            this.p4 = longs[4];
        }

        @Override
        Object ref(int slot) {
            return slot == 4 ? r4 : super.ref(slot);
        }

        @Override
        long bits(int slot) {
            return slot == 4 ? p4 : super.bits(slot);
        }
    }

    private static class Mixed6 extends Mixed5 {
        private final Object r5;
        private final long p5;

        Mixed6(Shape shape, Object[] refs, long[] longs) {
            super(shape, refs, longs);
            this.r5 = refs[5];
            this.p5 = longs[5];
        }

        @Override
        Object ref(int slot) {
            return slot == 5 ? r5 : super.ref(slot);
        }

        @Override
        long bits(int slot) {
            return slot == 5 ? p5 : super.bits(slot);
        }
    }

    private static class Mixed7 extends Mixed6 {
        private final Object r6;
        private final long p6;

        Mixed7(Shape shape, Object[] refs, long[] longs) {
            super(shape, refs, longs);
            this.r6 = refs[6];
            this.p6 = longs[6];
        }

        @Override
        Object ref(int slot) {
            return slot == 6 ? r6 : super.ref(slot);
        }

        @Override
        long bits(int slot) {
            return slot == 6 ? p6 : super.bits(slot);
        }
    }

    private static final class Mixed8 extends Mixed7 {
        private final Object r7;
        private final long p7;

        Mixed8(Shape shape, Object[] refs, long[] longs) {
            super(shape, refs, longs);
            this.r7 = refs[7];
            this.p7 = longs[7];
        }

        @Override
        Object ref(int slot) {
            return slot == 7 ? r7 : super.ref(slot);
        }

        @Override
        long bits(int slot) {
            return slot == 7 ? p7 : super.bits(slot);
        }
    }
}
