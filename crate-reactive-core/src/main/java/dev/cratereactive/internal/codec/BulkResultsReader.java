package dev.cratereactive.internal.codec;

import static dev.cratereactive.internal.codec.ParseContext.RESULT;
import static dev.cratereactive.internal.codec.ParseContext.RESULTS;
import static dev.cratereactive.internal.codec.ParseContext.RESULT_ROWCOUNT;
import static dev.cratereactive.internal.codec.ParseContext.TOP;
import static dev.cratereactive.internal.codec.ParseContext.describe;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JsonToken;

/** The {@code results} array of a bulk response: one {@code {"rowcount": n, "error": ...}} per parameter row. */
final class BulkResultsReader {

    /** The results without an error that nearly every row has (1 written, 0, or -1/-2 unknown), made once. */
    private static final BulkResult.RowResult[] PLAIN = {
        new BulkResult.RowResult(-2, Optional.empty()), new BulkResult.RowResult(-1, Optional.empty()),
        new BulkResult.RowResult(0, Optional.empty()), new BulkResult.RowResult(1, Optional.empty())};

    private final ParseContext context;
    private final ErrorReader errors;
    private ArrayList<BulkResult.RowResult> results;
    private long rowCount;

    BulkResultsReader(ParseContext context, ErrorReader errors) {
        this.context = context;
        this.errors = errors;
    }

    /** @return the results, unmodifiable, or {@code null} when the response had none */
    List<BulkResult.RowResult> results() {
        return results == null ? null : Collections.unmodifiableList(results);
    }

    /** The value of {@code results} (state {@link ParseContext#RESULTS_START}). */
    void start(JsonToken token) {
        if (context.startArray(token)) {
            results = new ArrayList<>();
            context.state = RESULTS;
        }
    }

    /** A result starts, or the array ends (state {@link ParseContext#RESULTS}). */
    void element(JsonToken token) {
        if (token == JsonToken.START_OBJECT) {
            rowCount = -1;
            errors.takeResultError();
            context.state = RESULT;
        } else if (token == JsonToken.END_ARRAY) {
            context.state = TOP;
        } else {
            throw context.malformed("a bulk result is not a JSON object but " + describe(token), null);
        }
    }

    /** A field name or the end of one result (state {@link ParseContext#RESULT}). */
    void field(JsonToken token) {
        if (token == JsonToken.END_OBJECT) {
            CrateError error = errors.takeResultError();
            results.add(error == null && rowCount >= -2 && rowCount <= 1 ? PLAIN[(int) rowCount + 2]
                : new BulkResult.RowResult(rowCount, Optional.ofNullable(error)));
            context.state = RESULTS;
            return;
        }
        switch (context.parser.currentName()) {
            case "rowcount":
                context.state = RESULT_ROWCOUNT;
                break;
            case "error":
                errors.startInResult();
                break;
            default:
                context.skip(RESULT);
        }
    }

    /** The value of {@code rowcount} (state {@link ParseContext#RESULT_ROWCOUNT}). */
    void rowCount(JsonToken token) {
        rowCount = token == JsonToken.VALUE_NULL ? -1 : context.integer(token);
        context.state = RESULT;
    }
}
