package dev.cratereactive.internal.codec;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;

/**
 * What the readers of one response share: the parser, the state of the token state machine (which token is
 * expected next, and so which reader takes it), skipping of values nobody reads, and the error messages that
 * say where in the body a problem is. One instance per {@link ResponseDecoder}; not thread-safe.
 */
final class ParseContext {

    // Parser states: which token is expected next.
    static final int START = 0;
    static final int TOP = 1;
    static final int SKIP_VALUE = 2;
    static final int SKIPPING = 3;
    static final int COLS_START = 4;
    static final int COLS = 5;
    static final int TYPES_START = 6;
    static final int TYPES = 7;
    static final int ROWS_START = 8;
    static final int ROWS = 9;
    static final int ROW = 10;
    static final int ROW_DISCARD = 11;
    static final int ROWCOUNT = 12;
    static final int DURATION = 13;
    static final int TRACE = 14;
    static final int ERROR_START = 15;
    static final int ERROR = 16;
    static final int ERROR_CODE = 17;
    static final int ERROR_MESSAGE = 18;
    static final int RESULTS_START = 19;
    static final int RESULTS = 20;
    static final int RESULT = 21;
    static final int RESULT_ROWCOUNT = 22;
    static final int DONE = 23;

    final JsonParser parser;
    /** The state: one of the constants above. */
    int state = START;
    /** The top-level field being read, for error messages; {@code null} between fields. */
    String field;
    /** Body bytes received so far. */
    long received;

    private int skipReturn;
    private int skipDepth;
    private RowAssembler rows;

    ParseContext(JsonParser parser) {
        this.parser = parser;
    }

    /** @param rowAssembler where a failure inside {@code rows} finds its row and column */
    void locateRowsWith(RowAssembler rowAssembler) {
        this.rows = rowAssembler;
    }

    /** Skips the next value, whatever its shape, then continues in {@code returnState}. */
    void skip(int returnState) {
        skipReturn = returnState;
        state = SKIP_VALUE;
    }

    /** One token in state {@link #SKIP_VALUE} or {@link #SKIPPING}. */
    void skipToken(JsonToken token) {
        if (state == SKIP_VALUE) {
            if (token.isStructStart()) {
                skipDepth = 1;
                state = SKIPPING;
            } else {
                state = skipReturn;
            }
        } else if (token.isStructStart()) {
            skipDepth++;
        } else if (token.isStructEnd() && --skipDepth == 0) {
            state = skipReturn;
        }
    }

    /** @return whether an array starts; JSON {@code null} stands for an absent field */
    boolean startArray(JsonToken token) {
        if (token == JsonToken.START_ARRAY) {
            return true;
        }
        if (token == JsonToken.VALUE_NULL) {
            state = TOP;
            return false;
        }
        throw malformed("expected a JSON array, got " + describe(token), null);
    }

    long integer(JsonToken token) {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw malformed("expected an integer, got " + describe(token), null);
        }
        return parser.getLongValue();
    }

    String string(JsonToken token) {
        if (token != JsonToken.VALUE_STRING) {
            throw malformed("expected a string, got " + describe(token), null);
        }
        return parser.getString();
    }

    MalformedResponseException truncated(Throwable cause) {
        return new MalformedResponseException("malformed CrateDB response: the body ended after " + received
            + " bytes, before its JSON object was complete (truncated)", cause);
    }

    MalformedResponseException malformed(String problem, Throwable cause) {
        StringBuilder message = new StringBuilder("malformed CrateDB response");
        TokenStreamLocation location = cause instanceof JacksonException json && json.getLocation() != null
            ? json.getLocation() : parser.currentTokenLocation();
        if (location.getByteOffset() >= 0) {
            message.append(" at byte ").append(location.getByteOffset());
        }
        if (state == ROW || state == ROW_DISCARD || state == ROWS) {
            rows.appendLocation(message, state != ROWS);
        } else if (field != null && state != TOP && state != DONE) {
            message.append(", field '").append(field).append('\'');
        }
        return new MalformedResponseException(message.append(": ").append(problem).toString(), cause);
    }

    static String describe(JsonToken token) {
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
