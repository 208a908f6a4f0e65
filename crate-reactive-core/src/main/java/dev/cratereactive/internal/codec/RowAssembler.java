package dev.cratereactive.internal.codec;

import static dev.cratereactive.internal.codec.ParseContext.COLS;
import static dev.cratereactive.internal.codec.ParseContext.ROW;
import static dev.cratereactive.internal.codec.ParseContext.ROWS;
import static dev.cratereactive.internal.codec.ParseContext.ROW_DISCARD;
import static dev.cratereactive.internal.codec.ParseContext.TOP;
import static dev.cratereactive.internal.codec.ParseContext.TYPES;
import static dev.cratereactive.internal.codec.ParseContext.describe;

import dev.cratereactive.CrateType;
import dev.cratereactive.Row;
import dev.cratereactive.internal.types.ColumnTypesReader;
import dev.cratereactive.internal.types.Columns;
import dev.cratereactive.internal.types.PrimitiveReader;
import dev.cratereactive.internal.types.StoredRow;
import dev.cratereactive.internal.types.ValueBuilder;
import dev.cratereactive.internal.types.ValueReader;
import dev.cratereactive.internal.types.ValueReaders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The result set of one response: {@code cols}, {@code col_types} (read by {@link ColumnTypesReader}) and
 * {@code rows}, assembled into {@link Row}s (or only counted). Cells are converted straight from their token by
 * the column's {@link ValueReader}; arrays and objects are assembled on an explicit stack of
 * {@link ValueBuilder}s so that they can span chunks.
 *
 * <p>When {@code col_types} has not arrived when {@code rows} starts, values map by JSON token and the columns
 * report {@link CrateType#NOT_SUPPORTED}; when {@code cols} has not arrived, the rows are held back until it
 * does (or until the response ends).
 */
final class RowAssembler {

    private static final Object PENDING = new Object();

    private final ParseContext context;
    private final JsonParser parser;
    private final ResponseDecoder.Mode mode;

    private ArrayList<String> nameList;
    private String[] names;
    private ColumnTypesReader typeList;
    private CrateType[] types;

    private boolean rowsStarted;
    private CrateType[] rowTypes;
    private ValueReader[] readers;
    private Columns columns;
    private int expectedCells = -1;
    private ArrayList<Object[]> heldRows;
    private long rowsStartedCount;
    private long rowsDecoded;
    private Object[] cells;
    private int cellIndex;
    private boolean unboxed; // rows keep numbers as bits: cells and longs are indexed by Columns.slot
    private long[] longs;
    private int nulls;
    private ValueBuilder[] stack = new ValueBuilder[8];
    private int depth;
    private int discardDepth;
    private ArrayList<Row> out;
    private int outCapacity = 4; // a point query has one row; big results size it from their first chunk

    RowAssembler(ParseContext context, ResponseDecoder.Mode mode) {
        this.context = context;
        this.parser = context.parser;
        this.mode = mode;
    }

    /** @return the rows completed since the last call, in order, or {@code null} when none */
    List<Row> takeRows() {
        List<Row> rows = out;
        out = null;
        if (rows != null) {
            // The next chunk likely holds about as many rows: no ArrayList growth (and its garbage) per chunk.
            outCapacity = Math.max(4, rows.size() + (rows.size() >> 3));
        }
        return rows;
    }

    /** @return the columns; complete once {@link #responseComplete()} ran */
    Columns columns() {
        return columns;
    }

    /** @return the rows decoded (or counted) */
    long rowsDecoded() {
        return rowsDecoded;
    }

    // ---- cols

    void colsStart(JsonToken token) {
        if (context.startArray(token)) {
            nameList = new ArrayList<>();
            context.state = COLS;
        }
    }

    void colName(JsonToken token) {
        if (token == JsonToken.VALUE_STRING) {
            nameList.add(parser.getString());
        } else if (token == JsonToken.END_ARRAY) {
            colsComplete();
        } else {
            throw context.malformed("expected column names (strings), got " + describe(token), null);
        }
    }

    private void colsComplete() {
        names = nameList.toArray(new String[0]);
        nameList = null;
        checkColumnCounts();
        context.state = TOP;
        if (heldRows != null) {
            releaseHeldRows();
        }
    }

    // ---- col_types

    void typesStart(JsonToken token) {
        if (context.startArray(token)) {
            typeList = new ColumnTypesReader();
            context.state = TYPES;
        }
    }

    void columnType(JsonToken token) {
        if (typeList.accept(token, parser)) {
            types = typeList.types();
            typeList = null;
            checkColumnCounts();
            context.state = TOP;
        }
    }

    private void checkColumnCounts() {
        if (names != null && types != null && names.length != types.length) {
            throw context.malformed(
                "cols has " + names.length + " names but col_types has " + types.length + " types", null);
        }
    }

    // ---- rows

    void rowsStart(JsonToken token) {
        if (context.startArray(token)) {
            startRows();
        }
    }

    /** One token in state {@link ParseContext#ROWS}: a row starts, or {@code rows} ends. */
    void rowsToken(JsonToken token) {
        if (token == JsonToken.START_ARRAY) {
            startRow();
        } else if (token == JsonToken.END_ARRAY) {
            context.state = TOP;
        } else {
            rowsStartedCount++;
            throw context.malformed("a row is not a JSON array but " + describe(token), null);
        }
    }

    private void startRows() {
        rowsStarted = true;
        rowTypes = types;
        expectedCells = names != null ? names.length : types != null ? types.length : -1;
        if (mode == ResponseDecoder.Mode.ROWS) {
            if (rowTypes != null) {
                readers = new ValueReader[rowTypes.length];
                for (int i = 0; i < readers.length; i++) {
                    readers[i] = ValueReaders.forType(rowTypes[i]);
                }
            }
            if (names != null) {
                columns = columns(names);
                unboxed = readers != null && columns.unboxedRows();
            } else {
                heldRows = new ArrayList<>();
            }
        }
        context.state = ROWS;
    }

    private void startRow() {
        rowsStartedCount++;
        cellIndex = 0;
        nulls = 0;
        if (mode == ResponseDecoder.Mode.ROWS) {
            // One scratch array per response: each row copies its values out of it, and the next row overwrites them.
            if (cells == null) {
                cells = new Object[expectedCells >= 0 ? expectedCells : 8];
                longs = unboxed ? new long[expectedCells] : null;
            }
            context.state = ROW;
        } else {
            discardDepth = 0;
            context.state = ROW_DISCARD;
        }
    }

    /** The hot path: one token of a row. */
    void cell(JsonToken token) {
        if (depth == 0) {
            if (token == JsonToken.END_ARRAY) {
                endRow();
                return;
            }
            if (cellIndex == expectedCells) {
                throw context.malformed("the row has more values than the " + expectedCells + " columns", null);
            }
            if (unboxed) {
                PrimitiveReader primitive = columns.unboxedReader(cellIndex);
                if (primitive != null) {
                    unboxedCell(primitive, token);
                    return;
                }
            }
            ValueReader reader = readers == null || cellIndex >= readers.length
                ? ValueReaders.untyped() : readers[cellIndex];
            Object value = value(reader, token);
            if (value != PENDING) {
                putCell(value);
            }
            return;
        }
        ValueBuilder builder = stack[depth - 1];
        if (token == JsonToken.END_ARRAY || token == JsonToken.END_OBJECT) {
            Object value = builder.build();
            stack[--depth] = null;
            if (depth == 0) {
                putCell(value);
            } else {
                stack[depth - 1].add(value);
            }
        } else if (token == JsonToken.PROPERTY_NAME) {
            builder.name(parser.currentName());
        } else {
            Object value = value(builder.childReader(), token);
            if (value != PENDING) {
                builder.add(value);
            }
        }
    }

    /** @return the scalar value, or {@link #PENDING} when an array or object started (its builder is pushed) */
    private Object value(ValueReader reader, JsonToken token) {
        switch (token) {
            case VALUE_STRING:
                return reader.fromString(parser);
            case VALUE_NUMBER_INT:
                return reader.fromInt(parser);
            case VALUE_NUMBER_FLOAT:
                return reader.fromFloat(parser);
            case VALUE_NULL:
                return null;
            case VALUE_TRUE:
                return reader.fromBoolean(true);
            case VALUE_FALSE:
                return reader.fromBoolean(false);
            case START_ARRAY:
                push(reader.startArray());
                return PENDING;
            case START_OBJECT:
                push(reader.startObject());
                return PENDING;
            default:
                throw context.malformed("unexpected " + describe(token), null);
        }
    }

    /** A number or timestamp kept as bits; tokens its type cannot hold fail in {@link #value} as for boxed rows. */
    private void unboxedCell(PrimitiveReader reader, JsonToken token) {
        long bits;
        switch (token) {
            case VALUE_NUMBER_INT:
                bits = reader.intBits(parser);
                break;
            case VALUE_NUMBER_FLOAT:
                bits = reader.floatBits(parser);
                break;
            case VALUE_STRING:
                bits = reader.stringBits(parser);
                break;
            case VALUE_NULL:
                nulls |= 1 << cellIndex;
                bits = 0;
                break;
            default:
                value(reader, token);
                throw new IllegalStateException(describe(token) + " passed as a value of " + reader);
        }
        longs[columns.slot(cellIndex++)] = bits;
    }

    private void push(ValueBuilder builder) {
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = builder;
    }

    private void putCell(Object value) {
        if (unboxed) {
            cells[columns.slot(cellIndex++)] = value;
            return;
        }
        if (cellIndex == cells.length) {
            cells = Arrays.copyOf(cells, cellIndex * 2);
        }
        cells[cellIndex++] = value;
    }

    private void endRow() {
        checkCellCount(cellIndex);
        context.state = ROWS;
        if (heldRows != null) {
            heldRows.add(Arrays.copyOf(cells, cellIndex));
        } else if (unboxed) {
            emit(StoredRow.of(columns, cells, longs, nulls));
        } else if (cellIndex > 0) { // DDL and DML answer "cols":[],"rows":[[]]: there is no result set, so no row
            emit(StoredRow.of(columns, cells, cellIndex));
        }
    }

    private void checkCellCount(int count) {
        if (expectedCells >= 0 && count != expectedCells) {
            throw context.malformed(
                "the row has " + count + " values but there are " + expectedCells + " columns", null);
        }
    }

    private void emit(Row row) {
        if (out == null) {
            out = new ArrayList<>(outCapacity);
        }
        out.add(row);
        rowsDecoded++;
    }

    /** Rows that arrived before {@code cols}: now that the names are known (or never will be), check and emit. */
    private void releaseHeldRows() {
        columns = columns(names == null ? new String[0] : names);
        List<Object[]> held = heldRows;
        heldRows = null;
        for (int i = 0; i < held.size(); i++) {
            Object[] values = held.get(i);
            if (values.length != columns.size()) {
                throw context.malformed("row " + (rowsDecoded + 1) + " has " + values.length
                    + " values but cols has " + columns.size() + " columns", null);
            }
            if (values.length > 0) {
                emit(StoredRow.of(columns, values, values.length));
            }
        }
    }

    /** One token of a row in {@code execute} and bulk mode: counted, not built. */
    void discardCell(JsonToken token) {
        if (discardDepth > 0) {
            if (token.isStructStart()) {
                discardDepth++;
            } else if (token.isStructEnd()) {
                discardDepth--;
            }
        } else if (token == JsonToken.END_ARRAY) {
            checkCellCount(cellIndex);
            rowsDecoded++;
            context.state = ROWS;
        } else {
            if (cellIndex == expectedCells) {
                throw context.malformed("the row has more values than the " + expectedCells + " columns", null);
            }
            cellIndex++;
            if (token.isStructStart()) {
                discardDepth = 1;
            }
        }
    }

    /** The top-level object ended: rows held back for {@code cols} are released, the columns are final. */
    void responseComplete() {
        if (heldRows != null) {
            releaseHeldRows();
        }
        if (columns == null) {
            columns = names == null ? Columns.EMPTY : columns(names);
        }
    }

    /** The columns as the rows see them: types are those known when {@code rows} started. */
    private Columns columns(String[] columnNames) {
        CrateType[] columnTypes = rowsStarted ? rowTypes : types;
        if (columnTypes == null) {
            columnTypes = new CrateType[columnNames.length];
            Arrays.fill(columnTypes, CrateType.NOT_SUPPORTED);
        }
        return new Columns(columnNames, columnTypes);
    }

    /** Appends where in {@code rows} the parser is: the row, and the column when {@code inRow}. */
    void appendLocation(StringBuilder message, boolean inRow) {
        message.append(", row ").append(rowsStartedCount);
        if (inRow) {
            message.append(", column ").append(describeColumn(cellIndex));
        }
    }

    private String describeColumn(int index) {
        String name = names != null && index < names.length ? "'" + names[index] + "'" : String.valueOf(index + 1);
        return rowTypes != null && index < rowTypes.length ? name + " (" + rowTypes[index] + ")" : name;
    }

    /** Drops what the assembler holds (after the end or a failure). */
    void close() {
        cells = null;
        longs = null;
        stack = null;
        heldRows = null;
    }
}
