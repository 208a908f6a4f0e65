package dev.cratereactive.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** However the network cuts a body into chunks, the decoder produces the same rows and the same response. */
class ResponseDecoderChunkingTest {

    static Stream<Transcripts.Transcript> bodies() {
        return Transcripts.sqlJsonResponses().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void everySplitGivesTheSameResult(Transcripts.Transcript transcript) {
        byte[] body = transcript.bodyBytes();
        Decoding.Result whole = Decoding.decode(body, ResponseDecoder.Mode.ROWS, new int[0], chunk -> false);
        assertThat(whole.response().rowsDecoded()).isEqualTo(whole.rows().size());
        assertSame(whole, Decoding.decode(body, ResponseDecoder.Mode.ROWS, new int[0], chunk -> true), "direct");

        for (int cut = 1; cut < body.length; cut++) {
            // Heap then direct at odd cuts, direct then heap at even ones.
            int parity = cut % 2;
            assertSame(whole, Decoding.decode(body, ResponseDecoder.Mode.ROWS, new int[] {cut},
                chunk -> (chunk + parity) % 2 == 0), "cut " + cut);
        }

        int[] everyByte = new int[body.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertSame(whole, Decoding.decode(body, ResponseDecoder.Mode.ROWS, everyByte, chunk -> false),
            "one byte per heap chunk");
        assertSame(whole, Decoding.decode(body, ResponseDecoder.Mode.ROWS, everyByte, chunk -> true),
            "one byte per direct chunk");

        Random random = new Random(20240229L);
        for (int round = 0; round < 20; round++) {
            List<Integer> cuts = new ArrayList<>();
            int maxChunk = round < 10 ? 16 : 512;
            for (int at = 1 + random.nextInt(maxChunk); at < body.length; at += 1 + random.nextInt(maxChunk)) {
                cuts.add(at);
            }
            boolean direct = round % 2 == 0;
            assertSame(whole, Decoding.decode(body, ResponseDecoder.Mode.ROWS,
                cuts.stream().mapToInt(Integer::intValue).toArray(), chunk -> direct), "random cuts " + cuts);
        }
    }

    @ParameterizedTest(name = "direct={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void rowsComeOutAsSoonAsTheyAreComplete(boolean direct) {
        byte[] body = Transcripts.load("select-generated-1000").bodyBytes();
        String text = new String(body, StandardCharsets.UTF_8);
        // In the middle of row 501: rows 1 to 500 are complete, row 501 is not.
        int cut = text.indexOf("[501,\"row-5") + 8;
        ResponseDecoder decoder = new ResponseDecoder(ResponseDecoder.Mode.ROWS);

        List<Row> first = Decoding.feed(decoder, body, 0, cut, direct);
        assertThat(first).hasSize(500);
        assertThat(first.get(499).get(0)).isEqualTo(500);

        List<Row> second = Decoding.feed(decoder, body, cut, body.length, direct);
        assertThat(second).hasSize(500);
        assertThat(second.get(0).get("label")).isEqualTo("row-501");
        assertThat(decoder.finish().rowsDecoded()).isEqualTo(1000);
    }

    @ParameterizedTest(name = "direct={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aRowEndsWhenItsClosingBracketArrives(boolean direct) {
        byte[] body = "{\"cols\":[\"a\"],\"col_types\":[9],\"rows\":[[1],[2]],\"rowcount\":2}"
            .getBytes(StandardCharsets.UTF_8);
        String text = new String(body, StandardCharsets.UTF_8);
        int firstRowEnd = text.indexOf("[1]") + 3;
        ResponseDecoder decoder = new ResponseDecoder(ResponseDecoder.Mode.ROWS);

        assertThat(Decoding.feed(decoder, body, 0, firstRowEnd - 1, direct)).isEmpty();
        assertThat(Decoding.feed(decoder, body, firstRowEnd - 1, firstRowEnd, direct))
            .extracting(row -> row.get(0)).containsExactly(1);
        assertThat(Decoding.feed(decoder, body, firstRowEnd, body.length, direct))
            .extracting(row -> row.get(0)).containsExactly(2);
        assertThat(decoder.finish().rowCount()).isEqualTo(2);
    }

    private static void assertSame(Decoding.Result expected, Decoding.Result actual, String description) {
        assertThat(actual.response()).as(description).isEqualTo(expected.response());
        assertThat(actual.rows()).as(description).isEqualTo(expected.rows());
    }
}
