package dev.cratereactive.internal.types;

import dev.cratereactive.CrateType;
import java.util.ArrayList;
import java.util.Arrays;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads the {@code col_types} array of a response token by token, as a non-blocking parser delivers them after
 * its opening bracket: scalar ids ({@code 9}), arrays ({@code [100, element type]}, nested as deep as they go),
 * and, for forward compatibility, any other {@code [id, ...]}: a newer CrateDB may describe a type with more than
 * its id. Such a type keeps its id ({@link CrateType#of(int)}) and whatever follows the id is skipped; its values
 * are read by the reader of that id, which for ids this client does not know maps by JSON token. Not
 * thread-safe; one instance per response.
 */
public final class ColumnTypesReader {

    private final ArrayList<CrateType> types = new ArrayList<>();
    /** Id of each open {@code [id, ...]}, innermost last. */
    private int[] openIds = new int[4];
    /** The element type read so far inside each open array type, or {@code null}. */
    private CrateType[] openElements = new CrateType[4];
    private int open;
    private boolean expectId;
    /** Depth within the skipped rest of a non-array {@code [id, ...]}; 0 when not skipping. */
    private int skipDepth;

    /**
     * @param token the next token inside {@code col_types}
     * @param parser the parser that produced it (for number values)
     * @return whether this token closed {@code col_types}
     * @throws IllegalArgumentException if the tokens are not a list of types; the message says what was wrong
     */
    public boolean accept(JsonToken token, JsonParser parser) {
        if (skipDepth > 0) {
            if (token.isStructStart()) {
                skipDepth++;
            } else if (token.isStructEnd() && --skipDepth == 0) {
                close(CrateType.of(openIds[open - 1]));
            }
            return false;
        }
        if (expectId) {
            expectId = false;
            int id = id(token, parser);
            openIds[open - 1] = id;
            if (id != CrateType.ARRAY_ID) {
                skipDepth = 1;
            }
            return false;
        }
        if (open == 0) {
            if (token == JsonToken.END_ARRAY) {
                return true;
            }
            if (token == JsonToken.VALUE_NUMBER_INT) {
                types.add(scalar(parser));
            } else if (token == JsonToken.START_ARRAY) {
                push();
            } else {
                throw new IllegalArgumentException("expected a type id or [100, element type], got " + what(token));
            }
            return false;
        }
        // Inside [100, ...]: exactly one element type, then the closing bracket.
        if (openElements[open - 1] != null) {
            if (token != JsonToken.END_ARRAY) {
                throw new IllegalArgumentException("an array type must be [100, element type], got more after the"
                    + " element type");
            }
            close(CrateType.arrayOf(openElements[open - 1]));
        } else if (token == JsonToken.VALUE_NUMBER_INT) {
            openElements[open - 1] = scalar(parser);
        } else if (token == JsonToken.START_ARRAY) {
            push();
        } else {
            throw new IllegalArgumentException("expected an element type, got " + what(token));
        }
        return false;
    }

    /** @return the types read, in column order */
    public CrateType[] types() {
        return types.toArray(new CrateType[0]);
    }

    private void push() {
        if (open == openIds.length) {
            openIds = Arrays.copyOf(openIds, open * 2);
            openElements = Arrays.copyOf(openElements, open * 2);
        }
        openElements[open] = null;
        open++;
        expectId = true;
    }

    private void close(CrateType type) {
        open--;
        openElements[open] = null;
        if (open == 0) {
            types.add(type);
        } else {
            openElements[open - 1] = type;
        }
    }

    private static CrateType scalar(JsonParser parser) {
        int id = parser.getIntValue();
        if (id < 0 || id == CrateType.ARRAY_ID) {
            throw new IllegalArgumentException("invalid type id " + id);
        }
        return CrateType.of(id);
    }

    private static int id(JsonToken token, JsonParser parser) {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("a nested type must start with its type id, got " + what(token));
        }
        int id = parser.getIntValue();
        if (id < 0) {
            throw new IllegalArgumentException("invalid type id " + id);
        }
        return id;
    }

    private static String what(JsonToken token) {
        return token == JsonToken.VALUE_STRING ? "a string" : token.isStructStart() ? "an object"
            : token.isStructEnd() ? "the end of the type" : token.isNumeric() ? "a decimal number" : "a " + token;
    }
}
