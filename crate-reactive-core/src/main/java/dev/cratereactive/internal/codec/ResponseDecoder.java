package dev.cratereactive.internal.codec;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateError;
import dev.cratereactive.CrateType;
import dev.cratereactive.Row;
import dev.cratereactive.internal.types.ArrayRow;
import dev.cratereactive.internal.types.ColumnTypesReader;
import dev.cratereactive.internal.types.Columns;
import dev.cratereactive.internal.types.ValueBuilder;
import dev.cratereactive.internal.types.ValueReader;
import dev.cratereactive.internal.types.ValueReaders;
import io.netty.buffer.ByteBuf;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.core.json.JsonFactory;

/**
 * Decodes one {@code /_sql} response body incrementally with Jackson's non-blocking parser: bytes go in chunk
 * by chunk as the network delivers them, complete rows come out at once. One instance per response; not
 * thread-safe (Reactor serializes the chunks).
 *
 * <p>A state machine consumes the parser's tokens; nothing is ever skipped with {@code skipChildren()}, which
 * cannot wait for more input, so unknown fields of any shape are skipped by counting depth. Cells are converted
 * straight from their token by the column's {@link ValueReader}; arrays and objects are assembled on an explicit
 * stack of {@link ValueBuilder}s so that they can span chunks.
 *
 * <p>CrateDB sends {@code cols} and {@code col_types} before {@code rows}. When {@code col_types} has not
 * arrived when {@code rows} starts, values map by JSON token and the columns report
 * {@link CrateType#NOT_SUPPORTED}; when {@code cols} has not arrived, the rows are held back until it does (or
 * until the response ends).
 */
public final class ResponseDecoder {

    /** What to do with {@code rows}. */
    public enum Mode {
        /** Build a {@link Row} for each element of {@code rows}. */
        ROWS,
        /** Count the elements of {@code rows} without building values ({@code execute}). */
        DISCARD_ROWS,
        /** Expect a bulk response ({@code results}); rows, which bulk responses do not have, are only counted. */
        BULK
    }

    /** Deeper nesting than this in a response is refused; values are built without recursion, so it can be big. */
    static final int MAX_NESTING_DEPTH = 10_000;

    // Responses hold whole TEXT/JSON values and NUMERICs of any precision: only nesting keeps a limit.
    private static final JsonFactory JSON = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE)
            .maxNumberLength(Integer.MAX_VALUE)
            .maxNameLength(Integer.MAX_VALUE)
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .build())
        .build();

    private static final byte[] NO_BYTES = new byte[0];
    private static final int MIN_SCRATCH = 512;
    private static final int MAX_SCRATCH = 64 * 1024;
    private static final Object PENDING = new Object();

    // Parser states: which token is expected next.
    private static final int START = 0;
    private static final int TOP = 1;
    private static final int SKIP_VALUE = 2;
    private static final int SKIPPING = 3;
    private static final int COLS_START = 4;
    private static final int COLS = 5;
    private static final int TYPES_START = 6;
    private static final int TYPES = 7;
    private static final int ROWS_START = 8;
    private static final int ROWS = 9;
    private static final int ROW = 10;
    private static final int ROW_DISCARD = 11;
    private static final int ROWCOUNT = 12;
    private static final int DURATION = 13;
    private static final int TRACE = 14;
    private static final int ERROR_START = 15;
    private static final int ERROR = 16;
    private static final int ERROR_CODE = 17;
    private static final int ERROR_MESSAGE = 18;
    private static final int RESULTS_START = 19;
    private static final int RESULTS = 20;
    private static final int RESULT = 21;
    private static final int RESULT_ROWCOUNT = 22;
    private static final int DONE = 23;

    private static final String[] FIELDS = {"cols", "col_types", "rows", "rowcount", "duration", "results", "error",
        "error_trace"};
    private static final int[] FIELD_STATES = {COLS_START, TYPES_START, ROWS_START, ROWCOUNT, DURATION, RESULTS_START,
        ERROR_START, TRACE};

    private final Mode mode;
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private byte[] scratch;
    private boolean closed;
    private long received;

    private int state = START;
    private String field;
    private int seenFields;
    private int skipReturn;
    private int skipDepth;

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
    private ValueBuilder[] stack = new ValueBuilder[8];
    private int depth;
    private int discardDepth;
    private ArrayList<Row> out;

    private long rowCount = -1;
    private Duration duration = Duration.ZERO;
    private String errorTrace;
    private CrateError error;
    private int errorReturn;
    private int errorCode;
    private String errorMessage;
    private ArrayList<BulkResult.RowResult> bulkResults;
    private boolean inResult;
    private long resultRowCount;
    private CrateError resultError;

    /** @param mode what to do with rows */
    public ResponseDecoder(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.parser = JSON.createNonBlockingByteArrayParser(ObjectReadContext.empty());
        this.feeder = (ByteArrayFeeder) parser.nonBlockingInputFeeder();
    }

    /**
     * Parses the readable bytes of {@code chunk}. The buffer is neither retained nor released, its indexes are
     * left alone, and the decoder keeps no reference to it after returning.
     *
     * @param chunk the next bytes of the body
     * @return the rows completed within this chunk, in order; an empty list when none
     * @throws MalformedResponseException if the bytes are not valid JSON or not the shape of a response
     * @throws IllegalStateException after {@link #finish()} or a failure
     */
    public List<Row> feed(ByteBuf chunk) {
        requireOpen();
        int length = chunk.readableBytes();
        if (length == 0) {
            return List.of();
        }
        received += length;
        out = null;
        try {
            if (chunk.hasArray()) {
                parse(chunk.array(), chunk.arrayOffset() + chunk.readerIndex(), length);
                // The parser consumed the array; swap it out so that no reference to the caller's memory remains.
                feeder.feedInput(NO_BYTES, 0, 0);
            } else {
                int index = chunk.readerIndex();
                int end = index + length;
                byte[] buffer = scratch(length);
                while (index < end) {
                    int n = Math.min(end - index, buffer.length);
                    chunk.getBytes(index, buffer, 0, n);
                    parse(buffer, 0, n);
                    index += n;
                }
            }
        } catch (RuntimeException e) {
            throw fail(e);
        }
        List<Row> rows = out;
        out = null;
        return rows == null ? List.of() : rows;
    }

    /**
     * Ends the input.
     *
     * @return everything the response said besides its rows
     * @throws MalformedResponseException if the body was empty or ended before the top-level JSON object was
     *     complete
     * @throws IllegalStateException after an earlier {@code finish()} or a failure
     */
    public DecodedResponse finish() {
        requireOpen();
        try {
            feeder.endOfInput();
            JsonToken token;
            while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
                handle(token);
            }
            if (state == START) {
                throw malformed("the response body is empty", null);
            }
            if (state != DONE) {
                throw truncated(null);
            }
        } catch (RuntimeException e) {
            throw fail(e);
        }
        close();
        return new DecodedResponse(columns, rowCount, duration,
            bulkResults == null ? null : List.copyOf(bulkResults), error, errorTrace, rowsDecoded);
    }

    private void parse(byte[] bytes, int offset, int length) {
        feeder.feedInput(bytes, offset, offset + length);
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
            handle(token);
        }
    }

    private void handle(JsonToken token) {
        switch (state) {
            case ROW:
                cell(token);
                break;
            case ROW_DISCARD:
                discardCell(token);
                break;
            case ROWS:
                if (token == JsonToken.START_ARRAY) {
                    startRow();
                } else if (token == JsonToken.END_ARRAY) {
                    state = TOP;
                } else {
                    rowsStartedCount++;
                    throw malformed("a row is not a JSON array but " + describe(token), null);
                }
                break;
            case START:
                if (token != JsonToken.START_OBJECT) {
                    throw malformed("the response is not a JSON object but starts with " + describe(token), null);
                }
                state = TOP;
                break;
            case TOP:
                topLevel(token);
                break;
            case SKIP_VALUE:
                if (token.isStructStart()) {
                    skipDepth = 1;
                    state = SKIPPING;
                } else {
                    state = skipReturn;
                }
                break;
            case SKIPPING:
                if (token.isStructStart()) {
                    skipDepth++;
                } else if (token.isStructEnd() && --skipDepth == 0) {
                    state = skipReturn;
                }
                break;
            case COLS_START:
                if (startArray(token)) {
                    nameList = new ArrayList<>();
                    state = COLS;
                }
                break;
            case COLS:
                if (token == JsonToken.VALUE_STRING) {
                    nameList.add(parser.getString());
                } else if (token == JsonToken.END_ARRAY) {
                    colsComplete();
                } else {
                    throw malformed("expected column names (strings), got " + describe(token), null);
                }
                break;
            case TYPES_START:
                if (startArray(token)) {
                    typeList = new ColumnTypesReader();
                    state = TYPES;
                }
                break;
            case TYPES:
                columnType(token);
                break;
            case ROWS_START:
                if (startArray(token)) {
                    startRows();
                }
                break;
            case ROWCOUNT:
                rowCount = token == JsonToken.VALUE_NULL ? -1 : integer(token);
                state = TOP;
                break;
            case DURATION:
                duration = duration(token);
                state = TOP;
                break;
            case TRACE:
                errorTrace = token == JsonToken.VALUE_NULL ? null : string(token);
                state = TOP;
                break;
            case ERROR_START:
                errorStart(token);
                break;
            case ERROR:
                errorField(token);
                break;
            case ERROR_CODE:
                errorCode = Math.toIntExact(integer(token));
                state = ERROR;
                break;
            case ERROR_MESSAGE:
                errorMessage = token == JsonToken.VALUE_NULL ? null : string(token);
                state = ERROR;
                break;
            case RESULTS_START:
                if (startArray(token)) {
                    bulkResults = new ArrayList<>();
                    state = RESULTS;
                }
                break;
            case RESULTS:
                if (token == JsonToken.START_OBJECT) {
                    resultRowCount = -1;
                    resultError = null;
                    state = RESULT;
                } else if (token == JsonToken.END_ARRAY) {
                    state = TOP;
                } else {
                    throw malformed("a bulk result is not a JSON object but " + describe(token), null);
                }
                break;
            case RESULT:
                resultField(token);
                break;
            case RESULT_ROWCOUNT:
                resultRowCount = token == JsonToken.VALUE_NULL ? -1 : integer(token);
                state = RESULT;
                break;
            case DONE:
                throw malformed("unexpected " + describe(token) + " after the response object", null);
            default:
                throw new IllegalStateException("state " + state);
        }
    }

    private void topLevel(JsonToken token) {
        if (token == JsonToken.END_OBJECT) {
            topLevelComplete();
            return;
        }
        String name = parser.currentName();
        field = name;
        for (int i = 0; i < FIELDS.length; i++) {
            if (FIELDS[i].equals(name)) {
                if ((seenFields & (1 << i)) != 0) {
                    throw malformed("the field appears twice", null);
                }
                seenFields |= 1 << i;
                state = FIELD_STATES[i];
                return;
            }
        }
        skip(TOP);
    }

    private void skip(int returnState) {
        skipReturn = returnState;
        state = SKIP_VALUE;
    }

    /** @return whether an array starts; JSON {@code null} stands for an absent field */
    private boolean startArray(JsonToken token) {
        if (token == JsonToken.START_ARRAY) {
            return true;
        }
        if (token == JsonToken.VALUE_NULL) {
            state = TOP;
            return false;
        }
        throw malformed("expected a JSON array, got " + describe(token), null);
    }

    private void colsComplete() {
        names = nameList.toArray(new String[0]);
        nameList = null;
        checkColumnCounts();
        state = TOP;
        if (heldRows != null) {
            releaseHeldRows();
        }
    }

    private void columnType(JsonToken token) {
        if (typeList.accept(token, parser)) {
            types = typeList.types();
            typeList = null;
            checkColumnCounts();
            state = TOP;
        }
    }

    private void checkColumnCounts() {
        if (names != null && types != null && names.length != types.length) {
            throw malformed("cols has " + names.length + " names but col_types has " + types.length + " types", null);
        }
    }

    private void startRows() {
        rowsStarted = true;
        rowTypes = types;
        expectedCells = names != null ? names.length : types != null ? types.length : -1;
        if (mode == Mode.ROWS) {
            if (rowTypes != null) {
                readers = new ValueReader[rowTypes.length];
                for (int i = 0; i < readers.length; i++) {
                    readers[i] = ValueReaders.forType(rowTypes[i]);
                }
            }
            if (names != null) {
                columns = columns(names);
            } else {
                heldRows = new ArrayList<>();
            }
        }
        state = ROWS;
    }

    private void startRow() {
        rowsStartedCount++;
        cellIndex = 0;
        if (mode == Mode.ROWS) {
            cells = new Object[expectedCells >= 0 ? expectedCells : 8];
            state = ROW;
        } else {
            discardDepth = 0;
            state = ROW_DISCARD;
        }
    }

    /** The hot path: one token of a row. */
    private void cell(JsonToken token) {
        if (depth == 0) {
            if (token == JsonToken.END_ARRAY) {
                endRow();
                return;
            }
            if (cellIndex == expectedCells) {
                throw malformed("the row has more values than the " + expectedCells + " columns", null);
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
                throw malformed("unexpected " + describe(token), null);
        }
    }

    private void push(ValueBuilder builder) {
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = builder;
    }

    private void putCell(Object value) {
        if (cellIndex == cells.length) {
            cells = Arrays.copyOf(cells, cellIndex * 2);
        }
        cells[cellIndex++] = value;
    }

    private void endRow() {
        checkCellCount(cellIndex);
        Object[] values = cells;
        cells = null;
        state = ROWS;
        if (heldRows != null) {
            heldRows.add(cellIndex == values.length ? values : Arrays.copyOf(values, cellIndex));
        } else {
            emit(values);
        }
    }

    private void checkCellCount(int count) {
        if (expectedCells >= 0 && count != expectedCells) {
            throw malformed("the row has " + count + " values but there are " + expectedCells + " columns", null);
        }
    }

    private void emit(Object[] values) {
        if (values.length == 0) {
            return; // DDL and DML answer "cols":[],"rows":[[]]: there is no result set, so no row
        }
        if (out == null) {
            out = new ArrayList<>();
        }
        out.add(new ArrayRow(columns, values));
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
                throw malformed("row " + (rowsDecoded + 1) + " has " + values.length + " values but cols has "
                    + columns.size() + " columns", null);
            }
            emit(values);
        }
    }

    private void discardCell(JsonToken token) {
        if (discardDepth > 0) {
            if (token.isStructStart()) {
                discardDepth++;
            } else if (token.isStructEnd()) {
                discardDepth--;
            }
        } else if (token == JsonToken.END_ARRAY) {
            checkCellCount(cellIndex);
            rowsDecoded++;
            state = ROWS;
        } else {
            if (cellIndex == expectedCells) {
                throw malformed("the row has more values than the " + expectedCells + " columns", null);
            }
            cellIndex++;
            if (token.isStructStart()) {
                discardDepth = 1;
            }
        }
    }

    private void topLevelComplete() {
        state = DONE;
        field = null;
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

    private void errorStart(JsonToken token) {
        errorReturn = inResult ? RESULT : TOP;
        if (token == JsonToken.START_OBJECT) {
            errorCode = 0;
            errorMessage = null;
            state = ERROR;
        } else if (token == JsonToken.VALUE_NULL) {
            state = errorReturn;
        } else if (token == JsonToken.VALUE_STRING) {
            storeError(new CrateError(0, parser.getString()));
        } else {
            throw malformed("expected an error object, got " + describe(token), null);
        }
    }

    private void errorField(JsonToken token) {
        if (token == JsonToken.END_OBJECT) {
            storeError(new CrateError(errorCode, errorMessage == null ? "(no message)" : errorMessage));
            return;
        }
        switch (parser.currentName()) {
            case "code":
                state = ERROR_CODE;
                break;
            case "message":
                state = ERROR_MESSAGE;
                break;
            default:
                skip(ERROR);
        }
    }

    private void storeError(CrateError value) {
        if (inResult) {
            resultError = value;
        } else {
            error = value;
        }
        state = errorReturn;
    }

    private void resultField(JsonToken token) {
        if (token == JsonToken.END_OBJECT) {
            bulkResults.add(new BulkResult.RowResult(resultRowCount, Optional.ofNullable(resultError)));
            inResult = false;
            state = RESULTS;
            return;
        }
        switch (parser.currentName()) {
            case "rowcount":
                state = RESULT_ROWCOUNT;
                break;
            case "error":
                inResult = true;
                state = ERROR_START;
                break;
            default:
                skip(RESULT);
        }
    }

    private long integer(JsonToken token) {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw malformed("expected an integer, got " + describe(token), null);
        }
        return parser.getLongValue();
    }

    private String string(JsonToken token) {
        if (token != JsonToken.VALUE_STRING) {
            throw malformed("expected a string, got " + describe(token), null);
        }
        return parser.getString();
    }

    private Duration duration(JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return Duration.ZERO;
        }
        if (!token.isNumeric()) {
            throw malformed("expected milliseconds, got " + describe(token), null);
        }
        return Duration.ofNanos(Math.round(parser.getDoubleValue() * 1_000_000.0));
    }

    private byte[] scratch(int length) {
        // Sized by the chunks that arrive (a small answer is one chunk of a few hundred bytes), not 8 KiB up front.
        if (scratch == null || (scratch.length < length && scratch.length < MAX_SCRATCH)) {
            int size = Math.max(MIN_SCRATCH, Integer.highestOneBit(Math.max(1, length - 1)) << 1);
            scratch = new byte[Math.min(size, MAX_SCRATCH)];
        }
        return scratch;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the decoder has finished or failed");
        }
    }

    private MalformedResponseException fail(RuntimeException e) {
        MalformedResponseException failure;
        if (e instanceof MalformedResponseException malformed) {
            failure = malformed;
        } else if (e instanceof UnexpectedEndOfInputException end) {
            failure = truncated(end);
        } else if (e instanceof JacksonException json) {
            failure = malformed("invalid JSON: " + json.getOriginalMessage(), json);
        } else if (e instanceof IllegalArgumentException || e instanceof DateTimeException
            || e instanceof ArithmeticException) {
            failure = malformed(e.getMessage(), e);
        } else {
            close();
            throw e;
        }
        close();
        return failure;
    }

    private MalformedResponseException truncated(Throwable cause) {
        return new MalformedResponseException("malformed CrateDB response: the body ended after " + received
            + " bytes, before its JSON object was complete (truncated)", cause);
    }

    private void close() {
        closed = true;
        cells = null;
        stack = null;
        heldRows = null;
        parser.close();
    }

    private MalformedResponseException malformed(String problem, Throwable cause) {
        StringBuilder message = new StringBuilder("malformed CrateDB response");
        TokenStreamLocation location = cause instanceof JacksonException json && json.getLocation() != null
            ? json.getLocation() : parser.currentTokenLocation();
        if (location.getByteOffset() >= 0) {
            message.append(" at byte ").append(location.getByteOffset());
        }
        if (state == ROW || state == ROW_DISCARD || state == ROWS) {
            message.append(", row ").append(rowsStartedCount);
            if (state != ROWS) {
                message.append(", column ").append(describeColumn(cellIndex));
            }
        } else if (field != null && state != TOP && state != DONE) {
            message.append(", field '").append(field).append('\'');
        }
        return new MalformedResponseException(message.append(": ").append(problem).toString(), cause);
    }

    private String describeColumn(int index) {
        String name = names != null && index < names.length ? "'" + names[index] + "'" : String.valueOf(index + 1);
        return rowTypes != null && index < rowTypes.length ? name + " (" + rowTypes[index] + ")" : name;
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case START_OBJECT: return "an object";
            case START_ARRAY: return "an array";
            case END_OBJECT: return "the end of an object";
            case END_ARRAY: return "the end of an array";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT: return "an integer";
            case VALUE_NUMBER_FLOAT: return "a decimal number";
            case VALUE_TRUE: case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            default: return token.name();
        }
    }
}
