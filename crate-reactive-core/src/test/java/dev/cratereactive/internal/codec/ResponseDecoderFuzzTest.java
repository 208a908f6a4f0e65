package dev.cratereactive.internal.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cratereactive.Row;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Coverage-guided fuzzing of the {@link ResponseDecoder} through its entry points ({@code feed}, {@code finish})
 * with Jazzer.
 *
 * <p>An input is {@code [mode/split seed (2 bytes)][body]}: the first two bytes pick the decoder mode and seed the
 * chunk sizes the body is cut into (1 byte up to the whole body, heap and direct buffers alternating), the rest
 * is the body. The only allowed outcomes: rows (all readable) and a {@link DecodedResponse}, or a
 * {@link MalformedResponseException} with a message (which the exchange turns into a
 * {@code CrateProtocolException}). Anything else is a finding: another exception type, a stack overflow, an out
 * of memory, a hang (Jazzer's per-input timeout), or a buffer the decoder retained or released.
 *
 * <p>{@code mvn -B verify} replays the inputs under {@code src/test/resources/.../ResponseDecoderFuzzTestInputs/decode}
 * (the recorded transcripts' bodies plus every finding so far). To fuzz (README, "Fuzzing the decoder"):
 * {@code JAZZER_FUZZ=1 mvn -pl crate-reactive-core -Dtest=ResponseDecoderFuzzTest -Djazzer.max_duration=10m test}.
 */
class ResponseDecoderFuzzTest {

    private static final ResponseDecoder.Mode[] MODES = ResponseDecoder.Mode.values();

    @FuzzTest(maxDuration = "5m")
    void decode(byte[] input) {
        if (input.length < 2) {
            return;
        }
        ResponseDecoder.Mode mode = MODES[(input[0] & 0xff) % MODES.length];
        SplittableRandom splits = new SplittableRandom(((input[0] & 0xff) << 8) | (input[1] & 0xff));
        byte[] body = Arrays.copyOfRange(input, 2, input.length);
        decode(mode, body, splits);
    }

    /** Decodes {@code body} in random chunks; fails on anything but a result or a described malformed response. */
    static void decode(ResponseDecoder.Mode mode, byte[] body, SplittableRandom splits) {
        ResponseDecoder decoder = new ResponseDecoder(mode);
        int maxChunk = 1 + splits.nextInt(Math.max(1, body.length));
        int start = 0;
        int chunkIndex = 0;
        try {
            while (start < body.length) {
                int end = Math.min(body.length, start + 1 + splits.nextInt(maxChunk));
                for (Row row : feed(decoder, body, start, end, chunkIndex++ % 2 == 1)) {
                    read(row);
                }
                start = end;
            }
            DecodedResponse response = decoder.finish();
            if (response.rowsDecoded() < 0) {
                throw new AssertionError("negative row count " + response.rowsDecoded());
            }
            String.valueOf(response);
        } catch (MalformedResponseException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new AssertionError("a malformed response without a message", expected);
            }
        }
    }

    private static java.util.List<Row> feed(ResponseDecoder decoder, byte[] body, int start, int end, boolean direct) {
        int length = end - start;
        ByteBuf chunk = direct ? Unpooled.directBuffer(length + 3) : Unpooled.buffer(length + 3);
        try {
            chunk.writeBytes(new byte[] {'x', 'y', 'z'}).writeBytes(body, start, length).skipBytes(3);
            java.util.List<Row> rows = decoder.feed(chunk);
            if (chunk.refCnt() != 1 || chunk.readerIndex() != 3 || chunk.readableBytes() != length) {
                throw new AssertionError("the decoder changed the buffer: refCnt " + chunk.refCnt() + ", reader index "
                    + chunk.readerIndex() + ", readable " + chunk.readableBytes());
            }
            return rows;
        } finally {
            chunk.release();
        }
    }

    /** Every value, metadata and text of a row must be readable once it was handed out. */
    private static void read(Row row) {
        for (int i = 0; i < row.size(); i++) {
            String.valueOf(row.get(i));
        }
        String.valueOf(row.metadata());
        String.valueOf(row);
    }
}
