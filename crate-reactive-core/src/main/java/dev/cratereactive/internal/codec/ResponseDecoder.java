package dev.cratereactive.internal.codec;

import dev.cratereactive.Row;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.DateTimeException;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.core.json.JsonFactory;

/**
 * Decodes one {@code /_sql} response body incrementally with Jackson's non-blocking parser: bytes go in chunk
 * by chunk as the network delivers them, complete rows come out at once. One instance per response; not
 * thread-safe (Reactor serializes the chunks).
 *
 * <p>A state machine ({@link ParseContext}) consumes the parser's tokens and hands each to the reader of the
 * JSON part it belongs to: {@link TopLevelFields}, {@link RowAssembler} ({@code cols}, {@code col_types},
 * {@code rows}), {@link ErrorReader} and {@link BulkResultsReader}. Nothing is ever skipped with
 * {@code skipChildren()}, which cannot wait for more input, so unknown fields of any shape are skipped by
 * counting depth.
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
    /*
     * Direct chunks are copied into an array for the parser. The copy is parsed to its end inside feed() (the
     * non-blocking parser keeps partial tokens in its own buffers, never in the input), so one array per thread
     * serves every response decoded on it: a small answer allocates none. At most MAX_SCRATCH per thread.
     */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[MIN_SCRATCH];
        }
    };

    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final ParseContext context;
    private final RowAssembler rows;
    private final TopLevelFields top;
    private final ErrorReader errors;
    private final BulkResultsReader bulk;
    private boolean closed;

    /** @param mode what to do with rows */
    public ResponseDecoder(Mode mode) {
        Objects.requireNonNull(mode, "mode");
        this.parser = JSON.createNonBlockingByteArrayParser(ObjectReadContext.empty());
        this.feeder = (ByteArrayFeeder) parser.nonBlockingInputFeeder();
        this.context = new ParseContext(parser);
        this.rows = new RowAssembler(context, mode);
        context.locateRowsWith(rows);
        this.top = new TopLevelFields(context, rows);
        this.errors = new ErrorReader(context);
        this.bulk = new BulkResultsReader(context, errors);
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
        context.received += length;
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
                feeder.feedInput(NO_BYTES, 0, 0); // the array is this thread's, for the next response
            }
        } catch (RuntimeException e) {
            throw fail(e);
        }
        List<Row> completed = rows.takeRows();
        return completed == null ? List.of() : completed;
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
            if (context.state == ParseContext.START) {
                throw context.malformed("the response body is empty", null);
            }
            if (context.state != ParseContext.DONE) {
                throw context.truncated(null);
            }
        } catch (RuntimeException e) {
            throw fail(e);
        }
        close();
        return new DecodedResponse(rows.columns(), top.rowCount(), top.durationNanos(), bulk.results(), errors.error(),
            top.errorTrace(), rows.rowsDecoded());
    }

    private void parse(byte[] bytes, int offset, int length) {
        feeder.feedInput(bytes, offset, offset + length);
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
            handle(token);
        }
    }

    /** Hands the token to the reader that the state says expects it; the row states come first (the hot path). */
    private void handle(JsonToken token) {
        switch (context.state) {
            case ParseContext.ROW:
                rows.cell(token);
                break;
            case ParseContext.ROW_DISCARD:
                rows.discardCell(token);
                break;
            case ParseContext.ROWS:
                rows.rowsToken(token);
                break;
            case ParseContext.START:
                if (token != JsonToken.START_OBJECT) {
                    throw context.malformed(
                        "the response is not a JSON object but starts with " + ParseContext.describe(token), null);
                }
                context.state = ParseContext.TOP;
                break;
            case ParseContext.TOP:
                top.field(token);
                break;
            case ParseContext.SKIP_VALUE:
            case ParseContext.SKIPPING:
                context.skipToken(token);
                break;
            case ParseContext.COLS_START:
                rows.colsStart(token);
                break;
            case ParseContext.COLS:
                rows.colName(token);
                break;
            case ParseContext.TYPES_START:
                rows.typesStart(token);
                break;
            case ParseContext.TYPES:
                rows.columnType(token);
                break;
            case ParseContext.ROWS_START:
                rows.rowsStart(token);
                break;
            case ParseContext.ROWCOUNT:
                top.rowCount(token);
                break;
            case ParseContext.DURATION:
                top.duration(token);
                break;
            case ParseContext.TRACE:
                top.errorTrace(token);
                break;
            case ParseContext.ERROR_START:
                errors.start(token);
                break;
            case ParseContext.ERROR:
                errors.field(token);
                break;
            case ParseContext.ERROR_CODE:
                errors.code(token);
                break;
            case ParseContext.ERROR_MESSAGE:
                errors.message(token);
                break;
            case ParseContext.RESULTS_START:
                bulk.start(token);
                break;
            case ParseContext.RESULTS:
                bulk.element(token);
                break;
            case ParseContext.RESULT:
                bulk.field(token);
                break;
            case ParseContext.RESULT_ROWCOUNT:
                bulk.rowCount(token);
                break;
            case ParseContext.DONE:
                throw context.malformed(
                    "unexpected " + ParseContext.describe(token) + " after the response object", null);
            default:
                throw new IllegalStateException("state " + context.state);
        }
    }

    private static byte[] scratch(int length) {
        byte[] scratch = SCRATCH.get();
        // Grown by the chunks that arrive (a small answer is one chunk of a few hundred bytes), not 64 KiB up front.
        if (scratch.length < length && scratch.length < MAX_SCRATCH) {
            int size = Math.max(MIN_SCRATCH, Integer.highestOneBit(Math.max(1, length - 1)) << 1);
            scratch = new byte[Math.min(size, MAX_SCRATCH)];
            SCRATCH.set(scratch);
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
            failure = context.truncated(end);
        } else if (e instanceof JacksonException json) {
            failure = context.malformed("invalid JSON: " + json.getOriginalMessage(), json);
        } else if (e instanceof IllegalArgumentException || e instanceof DateTimeException
            || e instanceof ArithmeticException) {
            failure = context.malformed(e.getMessage(), e);
        } else {
            close();
            throw e;
        }
        close();
        return failure;
    }

    private void close() {
        closed = true;
        rows.close();
        parser.close();
    }
}
