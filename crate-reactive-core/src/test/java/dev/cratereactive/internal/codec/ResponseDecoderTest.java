package dev.cratereactive.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cratereactive.BulkResult.RowResult;
import dev.cratereactive.ColumnMetadata;
import dev.cratereactive.CrateError;
import dev.cratereactive.CrateType;
import dev.cratereactive.Row;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Errors, bulk results, modes, unusual shapes and malformed bodies. */
class ResponseDecoderTest {

    private static DecodedResponse response(String transcript) {
        return Decoding.decode(Transcripts.load(transcript).body()).response();
    }

    private static AbstractThrowableAssert<?, ?> assertMalformed(String body) {
        return assertThatThrownBy(() -> Decoding.decode(body)).isExactlyInstanceOf(MalformedResponseException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"error-bad-json:4000:SQLParseException[Can't parse [{\"stmt\":\"select 1\"]. Expecting payload with `stmt` string and `args` or `bulk_args` arrays]",
        "error-division-by-zero:4000:SQLParseException[/ by zero]",
        "error-duplicate-key:4091:DuplicateKeyException[A document with the same primary key exists already]",
        "error-missing-body:4000:SQLParseException[Missing request body]",
        "error-relation-exists:4093:RelationAlreadyExists[Relation 'doc.t_types' already exists.]",
        "error-type-cast:4000:SQLParseException[Cannot cast `'abc'` of type `text` to type `integer`]",
        "error-unknown-column:4043:ColumnUnknownException[Column nope unknown]",
        "error-unknown-schema:4045:SchemaUnknownException[Schema 'nope' unknown]",
        "error-unknown-table:4041:RelationUnknown[Relation 'doc.nope' unknown]",
        "bulk-analysis-error:4043:ColumnUnknownException[Column nope unknown]",
        "bulk-select-not-allowed:4004:UnsupportedFeatureException[Bulk operations for statements that return result sets is not supported]",
        "auth-missing-privilege:4011:MissingPrivilegeException[Missing 'DML' privilege for user 'alice']",
        "after-bulk-select-same-connection:5000:ClassCastException[class java.lang.Integer cannot be cast to class java.lang.Long (java.lang.Integer and java.lang.Long are in module java.base of loader 'bootstrap')]"})
    void errorBodies(String caseText) {
        String[] parts = caseText.split(":", 3);
        DecodedResponse response = response(parts[0]);

        assertThat(response.error()).isEqualTo(new CrateError(Integer.parseInt(parts[1]), parts[2]));
        assertThat(response.errorTrace()).isNull();
        assertThat(response.rowCount()).isEqualTo(-1);
        assertThat(response.duration()).isEqualTo(Duration.ZERO);
        assertThat(response.metadata().columns()).isEmpty();
        assertThat(response.bulkResults()).isNull();
        assertThat(response.rowsDecoded()).isZero();
    }

    @Test
    void syntaxError() {
        CrateError error = response("error-syntax").error();
        assertThat(error.code()).isEqualTo(4000);
        assertThat(error.message()).startsWith("ParsingException[line 1:1: mismatched input 'SELEC' expecting {<EOF>,")
            .endsWith("'DECLARE', ';'}]");
    }

    @Test
    void errorWithTrace() {
        DecodedResponse response = response("error-with-trace");

        assertThat(response.error()).isEqualTo(new CrateError(4045, "SchemaUnknownException[Schema 'nope' unknown]"));
        assertThat(response.errorTrace())
            .startsWith("io.crate.exceptions.SchemaUnknownException: Schema 'nope' unknown\n\tat io.crate.exceptions."
                + "SchemaUnknownException.of(SchemaUnknownException.java:46)\n")
            .hasSizeGreaterThan(4000);
    }

    @Test
    void bulkSuccess() {
        DecodedResponse response = Decoding.decode(Transcripts.load("bulk-success").body(), ResponseDecoder.Mode.BULK)
            .response();

        assertThat(response.bulkResults()).containsExactly(new RowResult(1, Optional.empty()),
            new RowResult(1, Optional.empty()), new RowResult(1, Optional.empty()));
        assertThat(response.duration()).isEqualTo(Duration.ofNanos(10_608_623));
        assertThat(response.error()).isNull();
        assertThat(response.metadata().columns()).isEmpty();
    }

    @Test
    void bulkPartialFailure() {
        DecodedResponse response = Decoding.decode(Transcripts.load("bulk-partial-failure").body(),
            ResponseDecoder.Mode.BULK).response();

        assertThat(response.bulkResults()).containsExactly(new RowResult(1, Optional.empty()),
            new RowResult(-2, Optional.of(new CrateError(4091,
                "DuplicateKeyException[A document with the same primary key exists already]"))),
            new RowResult(1, Optional.empty()));
        assertThat(response.bulkResults().get(1).failed()).isTrue();
        assertThat(response.error()).isNull();
    }

    @Test
    void bulkUpdateOfMissingRow() {
        DecodedResponse response = Decoding.decode(Transcripts.load("bulk-update").body(), ResponseDecoder.Mode.BULK)
            .response();

        assertThat(response.bulkResults()).containsExactly(new RowResult(1, Optional.empty()),
            new RowResult(-2, Optional.of(new CrateError(40411, "DocumentMissingException[[999]: document missing]"))));
        assertThat(response.duration()).isEqualTo(Duration.ofNanos(21_928_307));
    }

    @Test
    void discardRowsCountsWithoutBuilding() {
        byte[] body = Transcripts.load("select-generated-1000").bodyBytes();
        ResponseDecoder decoder = new ResponseDecoder(ResponseDecoder.Mode.DISCARD_ROWS);
        for (int start = 0; start < body.length; start += 100) {
            assertThat(Decoding.feed(decoder, body, start, Math.min(start + 100, body.length), start % 200 == 0))
                .isEmpty();
        }
        DecodedResponse response = decoder.finish();

        assertThat(response.rowsDecoded()).isEqualTo(1000);
        assertThat(response.rowCount()).isEqualTo(1000);
        assertThat(response.metadata().columns()).extracting(ColumnMetadata::type)
            .containsExactly(CrateType.INTEGER, CrateType.TEXT, CrateType.DOUBLE);
    }

    @Test
    void discardRowsSkipsNestedValuesAndChecksCellCounts() {
        DecodedResponse response = Decoding.decode(Transcripts.load("select-all-types").body(),
            ResponseDecoder.Mode.DISCARD_ROWS).response();
        assertThat(response.rowsDecoded()).isEqualTo(3);
        assertThat(Decoding.decode(Transcripts.load("insert-all-types").body(), ResponseDecoder.Mode.DISCARD_ROWS)
            .response().rowsDecoded()).isEqualTo(1);

        assertThatThrownBy(() -> Decoding.decode("{\"cols\":[\"a\"],\"rows\":[[1,[2]]]}",
            ResponseDecoder.Mode.DISCARD_ROWS)).isInstanceOf(MalformedResponseException.class)
            .hasMessageContaining("more values than the 1 columns");
    }

    @Test
    void unknownFieldsOfAnyShapeAreSkippedAcrossChunks() {
        String body = "{\"x\":{\"a\":[1,{\"b\":[]}],\"rows\":[[9]]},\"cols\":[\"a\"],\"y\":[[[]],{}],"
            + "\"col_types\":[10],\"z\":\"s\",\"w\":null,\"v\":1.5,\"t\":true,\"rows\":[[1]],\"u\":{\"rows\":[[9]]},"
            + "\"rowcount\":1}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int[] everyByte = new int[bytes.length - 1];
        Arrays.setAll(everyByte, i -> i + 1);

        Decoding.Result result = Decoding.decode(bytes, ResponseDecoder.Mode.ROWS, everyByte, chunk -> chunk % 3 == 0);

        assertThat(result.rows()).hasSize(1);
        assertThat(result.rows().get(0).get(0)).isEqualTo(1L);
        assertThat(result.response().rowCount()).isEqualTo(1);
    }

    @Test
    void unknownFieldsInErrorsAndBulkResultsAreSkipped() {
        DecodedResponse error = Decoding.decode("{\"error\":{\"x\":[1,{\"code\":1}],\"message\":\"m\",\"code\":4000,"
            + "\"y\":{}},\"error_trace\":null}").response();
        assertThat(error.error()).isEqualTo(new CrateError(4000, "m"));
        assertThat(Decoding.decode("{\"error\":\"plain\"}").response().error()).isEqualTo(new CrateError(0, "plain"));
        assertThat(Decoding.decode("{\"error\":{}}").response().error()).isEqualTo(new CrateError(0, "(no message)"));

        DecodedResponse bulk = Decoding.decode("{\"results\":[{\"x\":{\"rowcount\":5},\"rowcount\":3},"
            + "{\"error\":{\"code\":4091,\"message\":\"dup\"},\"rowcount\":-2,\"y\":[]}]}", ResponseDecoder.Mode.BULK)
            .response();
        assertThat(bulk.bulkResults()).containsExactly(new RowResult(3, Optional.empty()),
            new RowResult(-2, Optional.of(new CrateError(4091, "dup"))));
    }

    @Test
    void rowsBeforeColsAreHeldUntilTheNamesArrive() {
        String body = "{\"rows\":[[1,\"a\"],[2,\"b\"]],\"cols\":[\"x\",\"y\"],\"rowcount\":2}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ResponseDecoder decoder = new ResponseDecoder(ResponseDecoder.Mode.ROWS);
        int colsEnd = body.indexOf("\"y\"]") + 4;

        assertThat(Decoding.feed(decoder, bytes, 0, colsEnd - 1, false)).isEmpty();
        List<Row> rows = Decoding.feed(decoder, bytes, colsEnd - 1, bytes.length, true);
        DecodedResponse response = decoder.finish();

        assertThat(rows).extracting(row -> row.get("x")).containsExactly(1, 2);
        assertThat(rows).extracting(row -> row.get("y")).containsExactly("a", "b");
        assertThat(response.metadata().columns()).extracting(ColumnMetadata::type)
            .containsExactly(CrateType.NOT_SUPPORTED, CrateType.NOT_SUPPORTED);
        assertThat(response.rowsDecoded()).isEqualTo(2);
    }

    @Test
    void rowsBeforeColsUseTypesThatCameFirst() {
        Decoding.Result result = Decoding.decode("{\"col_types\":[10,[100,11]],\"rows\":[[1,[0]]],\"cols\":[\"x\",\"y\"]}");

        assertThat(result.rows()).hasSize(1);
        assertThat(result.rows().get(0).get(0)).isEqualTo(1L);
        assertThat(result.rows().get(0).get(1)).isEqualTo(List.of(java.time.Instant.EPOCH));
        assertThat(result.response().metadata().columns()).extracting(ColumnMetadata::type)
            .containsExactly(CrateType.BIGINT, CrateType.arrayOf(CrateType.TIMESTAMP_WITH_TIME_ZONE));
    }

    @Test
    void colTypesAfterRowsDoNotChangeHowRowsWereRead() {
        Decoding.Result result = Decoding.decode("{\"cols\":[\"x\"],\"rows\":[[1]],\"col_types\":[10]}");

        assertThat(result.rows().get(0).get(0)).isEqualTo(1);
        assertThat(result.response().metadata().columns().get(0).type()).isEqualTo(CrateType.NOT_SUPPORTED);
    }

    @Test
    void untypedValuesMapByJsonToken() {
        Decoding.Result result = Decoding.decode("{\"cols\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\"],"
            + "\"rows\":[[1,3000000000,123456789012345678901234567890,1.5,true,{\"k\":[1,\"x\",null]},\"s\",null]]}");

        Row row = result.rows().get(0);
        assertThat(row.get("a")).isEqualTo(1);
        assertThat(row.get("b")).isEqualTo(3_000_000_000L);
        assertThat(row.get("c")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(row.get("d")).isEqualTo(1.5);
        assertThat(row.get("e")).isEqualTo(true);
        assertThat(row.get("f")).isEqualTo(Map.of("k", Arrays.asList(1, "x", null)));
        assertThat(row.get("g")).isEqualTo("s");
        assertThat(row.get("h")).isNull();
    }

    @Test
    void hugeValuesAreNotRejected() {
        String digits = "9".repeat(5000) + "." + "1".repeat(3000);
        String nested = "[".repeat(2000) + "]".repeat(2000);
        String text = "x".repeat(300_000);
        String body = "{\"cols\":[\"n\",\"j\",\"t\"],\"col_types\":[22,16,4],\"rows\":[[" + digits + ",{\"deep\":"
            + nested + "},\"" + text + "\"]]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // One direct chunk larger than the decoder's scratch buffer.
        ResponseDecoder decoder = new ResponseDecoder(ResponseDecoder.Mode.ROWS);
        List<Row> rows = Decoding.feed(decoder, bytes, 0, bytes.length, true);
        decoder.finish();

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get(0)).isEqualTo(new BigDecimal(digits));
        Object deep = ((Map<?, ?>) rows.get(0).get(1)).get("deep");
        for (int i = 1; i < 2000; i++) {
            deep = ((List<?>) deep).get(0);
        }
        assertThat(deep).isEqualTo(List.of());
        assertThat(rows.get(0).get(2)).isEqualTo(text);
    }

    @Test
    void decodersInterleavedOnOneThreadShareNoInput() {
        // Direct chunks go through a per-thread copy: two responses decoded in turns on one thread, each split
        // inside its tokens, must each see only their own bytes.
        String first = "{\"cols\":[\"id\",\"label\"],\"col_types\":[10,4],\"rows\":[[1,\"aaaaaaaaaaaaaaaaaaaa\"],"
            + "[2,\"bbbbbbbbbbbbbbbbbbbb\"]],\"rowcount\":2,\"duration\":1.5}";
        String second = "{\"cols\":[\"name\",\"n\"],\"col_types\":[4,10],\"rows\":[[\"" + "z".repeat(3000)
            + "\",7]],\"rowcount\":1,\"duration\":2.0}";
        byte[] a = first.getBytes(StandardCharsets.UTF_8);
        byte[] b = second.getBytes(StandardCharsets.UTF_8);
        ResponseDecoder decoderA = new ResponseDecoder(ResponseDecoder.Mode.ROWS);
        ResponseDecoder decoderB = new ResponseDecoder(ResponseDecoder.Mode.ROWS);
        List<Row> rowsA = new java.util.ArrayList<>();
        List<Row> rowsB = new java.util.ArrayList<>();
        int step = 7;
        int posA = 0;
        int posB = 0;
        while (posA < a.length || posB < b.length) {
            if (posA < a.length) {
                int n = Math.min(step, a.length - posA);
                rowsA.addAll(feedDirect(decoderA, a, posA, n));
                posA += n;
            }
            if (posB < b.length) {
                // Small chunks first, then the rest at once: the thread's array is replaced while A is mid-response.
                int n = posB < 70 ? Math.min(step, b.length - posB) : b.length - posB;
                rowsB.addAll(feedDirect(decoderB, b, posB, n));
                posB += n;
            }
        }
        assertThat(decoderB.finish().rowCount()).isEqualTo(1);
        assertThat(decoderA.finish().rowCount()).isEqualTo(2);
        assertThat(rowsA).extracting(row -> row.get("label"))
            .containsExactly("aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb");
        assertThat(rowsA).extracting(row -> row.get("id")).containsExactly(1L, 2L);
        assertThat(rowsB).hasSize(1);
        assertThat(rowsB.get(0).get("name")).isEqualTo("z".repeat(3000));
        assertThat(rowsB.get(0).get("n")).isEqualTo(7L);
    }

    private static List<Row> feedDirect(ResponseDecoder decoder, byte[] bytes, int offset, int length) {
        ByteBuf chunk = Unpooled.directBuffer(length);
        try {
            chunk.writeBytes(bytes, offset, length);
            return decoder.feed(chunk);
        } finally {
            chunk.release();
        }
    }

    @Test
    void theChunkIsNotRetained() {
        byte[] body = Transcripts.load("select-simple").bodyBytes();
        ResponseDecoder decoder = new ResponseDecoder(ResponseDecoder.Mode.ROWS);
        ByteBuf chunk = Unpooled.wrappedBuffer(body.clone());
        List<Row> rows;
        try {
            rows = decoder.feed(chunk);
            assertThat(chunk.refCnt()).isEqualTo(1);
            assertThat(chunk.readerIndex()).isZero();
            // Overwriting the buffer after feed() must not change what was decoded.
            Arrays.fill(chunk.array(), (byte) ' ');
        } finally {
            chunk.release();
        }
        assertThat(rows.get(0).get("two")).isEqualTo("a");
        assertThat(decoder.finish().rowCount()).isEqualTo(1);
    }

    @Test
    void emptyChunksAreHarmless() {
        ResponseDecoder decoder = new ResponseDecoder(ResponseDecoder.Mode.ROWS);
        assertThat(decoder.feed(Unpooled.EMPTY_BUFFER)).isEmpty();
        byte[] body = Transcripts.load("select-simple").bodyBytes();
        assertThat(Decoding.feed(decoder, body, 0, body.length, false)).hasSize(1);
        assertThat(decoder.feed(Unpooled.EMPTY_BUFFER)).isEmpty();
        assertThat(decoder.finish().rowCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"select-simple", "bulk-partial-failure", "error-unknown-table", "select-special-values"})
    void truncationAtEveryPositionIsDetected(String transcript) {
        byte[] body = Transcripts.load(transcript).bodyBytes();
        int end = new String(body, StandardCharsets.UTF_8).lastIndexOf('}');
        for (int cut = 0; cut <= end; cut++) {
            int length = cut;
            ResponseDecoder decoder = new ResponseDecoder(ResponseDecoder.Mode.ROWS);
            Decoding.feed(decoder, body, 0, length, cut % 2 == 0);
            assertThatThrownBy(decoder::finish).as("cut at %d", cut)
                .isExactlyInstanceOf(MalformedResponseException.class)
                .hasMessageContaining(cut == 0 ? "empty" : "malformed CrateDB response");
        }
    }

    @Test
    void truncatedMessagesSayWhatHappened() {
        assertThatThrownBy(() -> Decoding.decode("{\"cols\":[\"a\"],\"rows\":[[1]]"))
            .isExactlyInstanceOf(MalformedResponseException.class)
            .hasMessage("malformed CrateDB response: the body ended after 26 bytes, before its JSON object was "
                + "complete (truncated)");
        assertThatThrownBy(() -> Decoding.decode("{\"cols\":[\"a\"],\"rows\":[[\"abc"))
            .isExactlyInstanceOf(MalformedResponseException.class).hasMessageContaining("after 27 bytes")
            .hasMessageContaining("truncated").hasCauseInstanceOf(tools.jackson.core.JacksonException.class);
        assertThatThrownBy(() -> Decoding.decode(""))
            .isExactlyInstanceOf(MalformedResponseException.class).hasMessageContaining("empty");
    }

    @Test
    void invalidJson() {
        assertMalformed("<html>502 Bad Gateway</html>").hasMessageContaining("invalid JSON")
            .hasMessageContaining("at byte ");
        assertMalformed(Transcripts.load("auth-basic-wrong-password").body()).hasMessageContaining("invalid JSON");
        assertMalformed("{\"cols\":[\"a\"],\"rows\":[[tru]]}").hasMessageContaining("invalid JSON");
        assertMalformed("{\"cols\":[\"a\"] \"rows\":[]}").hasMessageContaining("invalid JSON");
    }

    @Test
    void topLevelMustBeOneObject() {
        assertMalformed("[1,2]").hasMessageContaining("not a JSON object but starts with an array");
        assertMalformed("\"text\"").hasMessageContaining("not a JSON object");
        assertMalformed("42").hasMessageContaining("not a JSON object");
        assertMalformed("{\"rowcount\":1} {}").hasMessageContaining("after the response object");
        assertMalformed("{\"rowcount\":1} x").hasMessageContaining("invalid JSON");
        assertThat(Decoding.decode("{\"rowcount\":1}\r\n").response().rowCount()).isEqualTo(1);
    }

    @Test
    void rowShapeIsChecked() {
        assertMalformed("{\"cols\":[\"a\"],\"col_types\":[9],\"rows\":[[1],[1,2]]}")
            .hasMessageContaining("row 2").hasMessageContaining("more values than the 1 columns");
        assertMalformed("{\"cols\":[\"a\",\"b\"],\"col_types\":[9,9],\"rows\":[[1]]}")
            .hasMessageContaining("row 1").hasMessageContaining("1 values but there are 2 columns");
        assertMalformed("{\"cols\":[\"a\"],\"rows\":[[]]}").hasMessageContaining("0 values");
        assertMalformed("{\"rows\":[[1,2]],\"cols\":[\"a\"]}").hasMessageContaining("2 values but cols has 1");
        assertMalformed("{\"rows\":[[1]]}").hasMessageContaining("1 values but cols has 0");
        assertMalformed("{\"cols\":[\"a\"],\"rows\":{\"a\":1}}").hasMessageContaining("field 'rows'")
            .hasMessageContaining("expected a JSON array, got an object");
        assertMalformed("{\"cols\":[\"a\"],\"rows\":5}").hasMessageContaining("expected a JSON array");
        assertMalformed("{\"cols\":[\"a\"],\"rows\":[1]}").hasMessageContaining("row 1")
            .hasMessageContaining("not a JSON array");
    }

    @Test
    void typesDescribedByMoreThanTheirIdKeepTheIdAndSkipTheRest() {
        Decoding.Result result = Decoding.decode("{\"cols\":[\"a\",\"b\",\"c\"],"
            + "\"col_types\":[[120,[100,[9]],{\"p\":[1,{}]}],[100,[130]],[100,[100,[131,\"x\"]]]],"
            + "\"rows\":[[{\"k\":1},[\"s\"],[[true]]]]}");

        assertThat(result.rows().get(0).get(0)).isEqualTo(Map.of("k", 1));
        assertThat(result.rows().get(0).get(1)).isEqualTo(List.of("s"));
        assertThat(result.rows().get(0).get(2)).isEqualTo(List.of(List.of(true)));
        assertThat(result.response().metadata().columns()).extracting(ColumnMetadata::type).containsExactly(CrateType.of(120),
            CrateType.arrayOf(CrateType.of(130)), CrateType.arrayOf(CrateType.arrayOf(CrateType.of(131))));
    }

    @Test
    void metadataShapeIsChecked() {
        assertMalformed("{\"cols\":[1]}").hasMessageContaining("field 'cols'");
        assertMalformed("{\"cols\":\"a\"}").hasMessageContaining("expected a JSON array");
        assertMalformed("{\"cols\":[\"a\"],\"col_types\":[9,9]}").hasMessageContaining("1 names but col_types has 2");
        assertMalformed("{\"col_types\":[[\"x\"]]}").hasMessageContaining("must start with its type id");
        assertMalformed("{\"col_types\":[[100]]}").hasMessageContaining("field 'col_types'");
        assertMalformed("{\"col_types\":[[100,9,1]]}").hasMessageContaining("[100, element type]");
        assertMalformed("{\"col_types\":[100]}").hasMessageContaining("invalid type id 100");
        assertMalformed("{\"col_types\":[\"TEXT\"]}").hasMessageContaining("got a string");
        assertMalformed("{\"cols\":[\"a\"],\"cols\":[\"a\"]}").hasMessageContaining("appears twice");
        assertMalformed("{\"rowcount\":\"1\"}").hasMessageContaining("field 'rowcount'");
        assertMalformed("{\"duration\":\"1\"}").hasMessageContaining("field 'duration'");
        assertMalformed("{\"error\":[1]}").hasMessageContaining("field 'error'");
        assertMalformed("{\"results\":[1]}").hasMessageContaining("bulk result is not a JSON object");
    }

    @Test
    void valueThatDoesNotFitItsTypeNamesRowAndColumn() {
        assertMalformed("{\"cols\":[\"a\",\"ts\"],\"col_types\":[9,11],\"rows\":[[1,1],[2,\"yesterday\"]]}")
            .hasMessageContaining("row 2, column 'ts' (TIMESTAMP WITH TIME ZONE)")
            .hasMessageContaining("expected a JSON integer (epoch milliseconds), got a string");
        assertMalformed("{\"cols\":[\"i\"],\"col_types\":[9],\"rows\":[[99999999999]]}")
            .hasMessageContaining("row 1, column 'i' (INTEGER)");
    }

    @Test
    void nullStandsForAnAbsentField() {
        DecodedResponse response = Decoding.decode("{\"cols\":null,\"col_types\":null,\"rows\":null,\"rowcount\":null,"
            + "\"duration\":null,\"results\":null,\"error\":null,\"error_trace\":null}").response();

        assertThat(response).isEqualTo(new DecodedResponse(response.metadata(), -1, 0, null, null, null, 0));
        assertThat(response.metadata().columns()).isEmpty();
    }

    @Test
    void theDecoderIsSingleUse() {
        ResponseDecoder failed = new ResponseDecoder(ResponseDecoder.Mode.ROWS);
        byte[] html = "<html>".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Decoding.feed(failed, html, 0, html.length, false))
            .isInstanceOf(MalformedResponseException.class);
        assertThatThrownBy(() -> Decoding.feed(failed, html, 0, html.length, false))
            .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(failed::finish).isInstanceOf(IllegalStateException.class);

        ResponseDecoder finished = new ResponseDecoder(ResponseDecoder.Mode.ROWS);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Decoding.feed(finished, body, 0, body.length, false);
        finished.finish();
        assertThatThrownBy(finished::finish).isInstanceOf(IllegalStateException.class);
    }
}
