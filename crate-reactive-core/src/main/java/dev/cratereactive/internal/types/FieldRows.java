package dev.cratereactive.internal.types;

/**
 * {@link StoredRow}s that keep up to {@value #MAX_WIDTH} values in fields: one object per row instead of a row
 * and its {@code Object[]} (24 bytes less per row with compressed references). Java has no inline arrays, so
 * each width is a class that adds one field to the class of the width below; {@code value(i)} is answered by the
 * class that declares field {@code i} (the calls up the chain are statically bound and inlined).
 */
final class FieldRows {

    /** The widest row kept in fields. */
    static final int MAX_WIDTH = 8;

    private FieldRows() {
    }

    /** @return a row of the first {@code count} (1 to {@link #MAX_WIDTH}) values of {@code cells} */
    static StoredRow of(Columns columns, Object[] cells, int count) {
        switch (count) {
            case 1: return new Row1(columns, cells);
            case 2: return new Row2(columns, cells);
            case 3: return new Row3(columns, cells);
            case 4: return new Row4(columns, cells);
            case 5: return new Row5(columns, cells);
            case 6: return new Row6(columns, cells);
            case 7: return new Row7(columns, cells);
            case 8: return new Row8(columns, cells);
            default: throw new IllegalArgumentException("no field row of width " + count);
        }
    }

    private static class Row1 extends StoredRow {
        private final Columns columns;
        private final Object v0;

        Row1(Columns columns, Object[] cells) {
            this.columns = columns;
            this.v0 = cells[0];
        }

        @Override
        final Columns columns() {
            return columns;
        }

        @Override
        Object value(int index) {
            if (index == 0) {
                return v0;
            }
            throw outOfBounds(index, size());
        }

        @Override
        public int size() {
            return 1;
        }
    }

    private static class Row2 extends Row1 {
        private final Object v1;

        Row2(Columns columns, Object[] cells) {
            super(columns, cells);
            this.v1 = cells[1];
        }

        @Override
        Object value(int index) {
            return index == 1 ? v1 : super.value(index);
        }

        @Override
        public int size() {
            return 2;
        }
    }

    private static class Row3 extends Row2 {
        private final Object v2;

        Row3(Columns columns, Object[] cells) {
            super(columns, cells);
            this.v2 = cells[2];
        }

        @Override
        Object value(int index) {
            return index == 2 ? v2 : super.value(index);
        }

        @Override
        public int size() {
            return 3;
        }
    }

    private static class Row4 extends Row3 {
        private final Object v3;

        Row4(Columns columns, Object[] cells) {
            super(columns, cells);
            this.v3 = cells[3];
        }

        @Override
        Object value(int index) {
            return index == 3 ? v3 : super.value(index);
        }

        @Override
        public int size() {
            return 4;
        }
    }

    private static class Row5 extends Row4 {
        private final Object v4;

        Row5(Columns columns, Object[] cells) {
            super(columns, cells);
            this.v4 = cells[4];
        }

        @Override
        Object value(int index) {
            return index == 4 ? v4 : super.value(index);
        }

        @Override
        public int size() {
            return 5;
        }
    }

    private static class Row6 extends Row5 {
        private final Object v5;

        Row6(Columns columns, Object[] cells) {
            super(columns, cells);
            this.v5 = cells[5];
        }

        @Override
        Object value(int index) {
            return index == 5 ? v5 : super.value(index);
        }

        @Override
        public int size() {
            return 6;
        }
    }

    private static class Row7 extends Row6 {
        private final Object v6;

        Row7(Columns columns, Object[] cells) {
            super(columns, cells);
            this.v6 = cells[6];
        }

        @Override
        Object value(int index) {
            return index == 6 ? v6 : super.value(index);
        }

        @Override
        public int size() {
            return 7;
        }
    }

    private static final class Row8 extends Row7 {
        private final Object v7;

        Row8(Columns columns, Object[] cells) {
            super(columns, cells);
            this.v7 = cells[7];
        }

        @Override
        Object value(int index) {
            return index == 7 ? v7 : super.value(index);
        }

        @Override
        public int size() {
            return 8;
        }
    }
}
