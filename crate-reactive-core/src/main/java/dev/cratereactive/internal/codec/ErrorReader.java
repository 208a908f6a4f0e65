package dev.cratereactive.internal.codec;

import static dev.cratereactive.internal.codec.ParseContext.ERROR;
import static dev.cratereactive.internal.codec.ParseContext.ERROR_CODE;
import static dev.cratereactive.internal.codec.ParseContext.ERROR_MESSAGE;
import static dev.cratereactive.internal.codec.ParseContext.ERROR_START;
import static dev.cratereactive.internal.codec.ParseContext.RESULT;
import static dev.cratereactive.internal.codec.ParseContext.TOP;
import static dev.cratereactive.internal.codec.ParseContext.describe;

import dev.cratereactive.CrateError;
import tools.jackson.core.JsonToken;

/**
 * CrateDB's error objects, {@code {"code": 4000, "message": "..."}} (or a bare string, or {@code null}): the
 * top-level {@code error} of a failed statement and the {@code error} of one bulk result.
 */
final class ErrorReader {

    private final ParseContext context;
    private int returnState = TOP;
    private int code;
    private String message;
    private CrateError error;
    private CrateError resultError;

    ErrorReader(ParseContext context) {
        this.context = context;
    }

    /** @return the top-level error, or {@code null} */
    CrateError error() {
        return error;
    }

    /** The next value is the {@code error} of a bulk result: it goes to {@link #takeResultError()}. */
    void startInResult() {
        returnState = RESULT;
        context.state = ERROR_START;
    }

    /** @return the error of the bulk result just read, or {@code null}; cleared for the next result */
    CrateError takeResultError() {
        CrateError value = resultError;
        resultError = null;
        return value;
    }

    /** The first token of an error value (state {@link ParseContext#ERROR_START}). */
    void start(JsonToken token) {
        if (token == JsonToken.START_OBJECT) {
            code = 0;
            message = null;
            context.state = ERROR;
        } else if (token == JsonToken.VALUE_NULL) {
            leave();
        } else if (token == JsonToken.VALUE_STRING) {
            store(new CrateError(0, context.parser.getString()));
        } else {
            throw context.malformed("expected an error object, got " + describe(token), null);
        }
    }

    /** A field name or the end of the error object (state {@link ParseContext#ERROR}). */
    void field(JsonToken token) {
        if (token == JsonToken.END_OBJECT) {
            store(new CrateError(code, message == null ? "(no message)" : message));
            return;
        }
        switch (context.parser.currentName()) {
            case "code":
                context.state = ERROR_CODE;
                break;
            case "message":
                context.state = ERROR_MESSAGE;
                break;
            default:
                context.skip(ERROR);
        }
    }

    /** The value of {@code code} (state {@link ParseContext#ERROR_CODE}). */
    void code(JsonToken token) {
        code = Math.toIntExact(context.integer(token));
        context.state = ERROR;
    }

    /** The value of {@code message} (state {@link ParseContext#ERROR_MESSAGE}). */
    void message(JsonToken token) {
        message = token == JsonToken.VALUE_NULL ? null : context.string(token);
        context.state = ERROR;
    }

    private void store(CrateError value) {
        if (returnState == RESULT) {
            resultError = value;
        } else {
            error = value;
        }
        leave();
    }

    private void leave() {
        context.state = returnState;
        returnState = TOP;
    }
}
