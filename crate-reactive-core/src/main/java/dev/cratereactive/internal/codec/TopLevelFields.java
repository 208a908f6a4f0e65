package dev.cratereactive.internal.codec;

import static dev.cratereactive.internal.codec.ParseContext.COLS_START;
import static dev.cratereactive.internal.codec.ParseContext.DONE;
import static dev.cratereactive.internal.codec.ParseContext.DURATION;
import static dev.cratereactive.internal.codec.ParseContext.ERROR_START;
import static dev.cratereactive.internal.codec.ParseContext.RESULTS_START;
import static dev.cratereactive.internal.codec.ParseContext.ROWCOUNT;
import static dev.cratereactive.internal.codec.ParseContext.ROWS_START;
import static dev.cratereactive.internal.codec.ParseContext.TOP;
import static dev.cratereactive.internal.codec.ParseContext.TRACE;
import static dev.cratereactive.internal.codec.ParseContext.TYPES_START;
import static dev.cratereactive.internal.codec.ParseContext.describe;

import tools.jackson.core.JsonToken;

/**
 * The top-level object: which reader each known field goes to (each field at most once; unknown fields are
 * skipped), and the scalar fields {@code rowcount}, {@code duration} and {@code error_trace}.
 */
final class TopLevelFields {

    private static final String[] FIELDS = {"cols", "col_types", "rows", "rowcount", "duration", "results", "error",
        "error_trace"};
    private static final int[] FIELD_STATES = {COLS_START, TYPES_START, ROWS_START, ROWCOUNT, DURATION, RESULTS_START,
        ERROR_START, TRACE};

    private final ParseContext context;
    private final RowAssembler rows;
    private int seenFields;
    private long rowCount = -1;
    private long durationNanos;
    private String errorTrace;

    TopLevelFields(ParseContext context, RowAssembler rows) {
        this.context = context;
        this.rows = rows;
    }

    long rowCount() {
        return rowCount;
    }

    long durationNanos() {
        return durationNanos;
    }

    String errorTrace() {
        return errorTrace;
    }

    /** A field name or the end of the response object (state {@link ParseContext#TOP}). */
    void field(JsonToken token) {
        if (token == JsonToken.END_OBJECT) {
            context.state = DONE;
            context.field = null;
            rows.responseComplete();
            return;
        }
        String name = context.parser.currentName();
        context.field = name;
        for (int i = 0; i < FIELDS.length; i++) {
            if (FIELDS[i].equals(name)) {
                if ((seenFields & (1 << i)) != 0) {
                    throw context.malformed("the field appears twice", null);
                }
                seenFields |= 1 << i;
                context.state = FIELD_STATES[i];
                return;
            }
        }
        context.skip(TOP);
    }

    /** The value of {@code rowcount}. */
    void rowCount(JsonToken token) {
        rowCount = token == JsonToken.VALUE_NULL ? -1 : context.integer(token);
        context.state = TOP;
    }

    /** The value of {@code duration}: milliseconds, with a fraction. */
    void duration(JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            durationNanos = 0;
        } else if (!token.isNumeric()) {
            throw context.malformed("expected milliseconds, got " + describe(token), null);
        } else {
            durationNanos = Math.round(context.parser.getDoubleValue() * 1_000_000.0);
        }
        context.state = TOP;
    }

    /** The value of {@code error_trace}. */
    void errorTrace(JsonToken token) {
        errorTrace = token == JsonToken.VALUE_NULL ? null : context.string(token);
        context.state = TOP;
    }
}
