package dev.cratereactive.internal.types;

/**
 * {@link StoredRow}s that keep up to {@value #MAX_WIDTH} values in fields: one object per row instead of a row
 * and its {@code Object[]} (24 bytes less per row with compressed references). Written out per width, since
 * Java has no inline arrays.
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

    private static final class Row1 extends StoredRow {
        private final Object v0;

        Row1(Columns columns, Object[] cells) {
            super(columns);
            this.v0 = cells[0];
        }

        @Override
        Object value(int index) {
            switch (index) {
                case 0: return v0;
                default: throw outOfBounds(index, 1);
            }
        }

        @Override
        public int size() {
            return 1;
        }
    }

    private static final class Row2 extends StoredRow {
        private final Object v0;
        private final Object v1;

        Row2(Columns columns, Object[] cells) {
            super(columns);
            this.v0 = cells[0];
            this.v1 = cells[1];
        }

        @Override
        Object value(int index) {
            switch (index) {
                case 0: return v0;
                case 1: return v1;
                default: throw outOfBounds(index, 2);
            }
        }

        @Override
        public int size() {
            return 2;
        }
    }

    private static final class Row3 extends StoredRow {
        private final Object v0;
        private final Object v1;
        private final Object v2;

        Row3(Columns columns, Object[] cells) {
            super(columns);
            this.v0 = cells[0];
            this.v1 = cells[1];
            this.v2 = cells[2];
        }

        @Override
        Object value(int index) {
            switch (index) {
                case 0: return v0;
                case 1: return v1;
                case 2: return v2;
                default: throw outOfBounds(index, 3);
            }
        }

        @Override
        public int size() {
            return 3;
        }
    }

    private static final class Row4 extends StoredRow {
        private final Object v0;
        private final Object v1;
        private final Object v2;
        private final Object v3;

        Row4(Columns columns, Object[] cells) {
            super(columns);
            this.v0 = cells[0];
            this.v1 = cells[1];
            this.v2 = cells[2];
            this.v3 = cells[3];
        }

        @Override
        Object value(int index) {
            switch (index) {
                case 0: return v0;
                case 1: return v1;
                case 2: return v2;
                case 3: return v3;
                default: throw outOfBounds(index, 4);
            }
        }

        @Override
        public int size() {
            return 4;
        }
    }

    private static final class Row5 extends StoredRow {
        private final Object v0;
        private final Object v1;
        private final Object v2;
        private final Object v3;
        private final Object v4;

        Row5(Columns columns, Object[] cells) {
            super(columns);
            this.v0 = cells[0];
            this.v1 = cells[1];
            this.v2 = cells[2];
            this.v3 = cells[3];
            this.v4 = cells[4];
        }

        @Override
        Object value(int index) {
            switch (index) {
                case 0: return v0;
                case 1: return v1;
                case 2: return v2;
                case 3: return v3;
                case 4: return v4;
                default: throw outOfBounds(index, 5);
            }
        }

        @Override
        public int size() {
            return 5;
        }
    }

    private static final class Row6 extends StoredRow {
        private final Object v0;
        private final Object v1;
        private final Object v2;
        private final Object v3;
        private final Object v4;
        private final Object v5;

        Row6(Columns columns, Object[] cells) {
            super(columns);
            this.v0 = cells[0];
            this.v1 = cells[1];
            this.v2 = cells[2];
            this.v3 = cells[3];
            this.v4 = cells[4];
            this.v5 = cells[5];
        }

        @Override
        Object value(int index) {
            switch (index) {
                case 0: return v0;
                case 1: return v1;
                case 2: return v2;
                case 3: return v3;
                case 4: return v4;
                case 5: return v5;
                default: throw outOfBounds(index, 6);
            }
        }

        @Override
        public int size() {
            return 6;
        }
    }

    private static final class Row7 extends StoredRow {
        private final Object v0;
        private final Object v1;
        private final Object v2;
        private final Object v3;
        private final Object v4;
        private final Object v5;
        private final Object v6;

        Row7(Columns columns, Object[] cells) {
            super(columns);
            this.v0 = cells[0];
            this.v1 = cells[1];
            this.v2 = cells[2];
            this.v3 = cells[3];
            this.v4 = cells[4];
            this.v5 = cells[5];
            this.v6 = cells[6];
        }

        @Override
        Object value(int index) {
            switch (index) {
                case 0: return v0;
                case 1: return v1;
                case 2: return v2;
                case 3: return v3;
                case 4: return v4;
                case 5: return v5;
                case 6: return v6;
                default: throw outOfBounds(index, 7);
            }
        }

        @Override
        public int size() {
            return 7;
        }
    }

    private static final class Row8 extends StoredRow {
        private final Object v0;
        private final Object v1;
        private final Object v2;
        private final Object v3;
        private final Object v4;
        private final Object v5;
        private final Object v6;
        private final Object v7;

        Row8(Columns columns, Object[] cells) {
            super(columns);
            this.v0 = cells[0];
            this.v1 = cells[1];
            this.v2 = cells[2];
            this.v3 = cells[3];
            this.v4 = cells[4];
            this.v5 = cells[5];
            this.v6 = cells[6];
            this.v7 = cells[7];
        }

        @Override
        Object value(int index) {
            switch (index) {
                case 0: return v0;
                case 1: return v1;
                case 2: return v2;
                case 3: return v3;
                case 4: return v4;
                case 5: return v5;
                case 6: return v6;
                case 7: return v7;
                default: throw outOfBounds(index, 8);
            }
        }

        @Override
        public int size() {
            return 8;
        }
    }
}
