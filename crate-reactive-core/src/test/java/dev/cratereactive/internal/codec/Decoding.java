package dev.cratereactive.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.Row;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/** Feeds bodies to a {@link ResponseDecoder} in chosen chunks, each in its own buffer that is released afterwards. */
final class Decoding {

    /** Bytes before the readable part of every chunk, so that reader index and array offset matter. */
    private static final byte[] PREFIX = "garbage".getBytes(StandardCharsets.US_ASCII);

    /** What a whole decode produced. */
    record Result(List<Row> rows, DecodedResponse response) {
    }

    private Decoding() {
    }

    static Result decode(String body) {
        return decode(body, ResponseDecoder.Mode.ROWS);
    }

    static Result decode(String body, ResponseDecoder.Mode mode) {
        return decode(body.getBytes(StandardCharsets.UTF_8), mode, new int[0], chunk -> false);
    }

    /**
     * @param cuts ascending positions where a new chunk starts
     * @param direct which chunks (by index) go in direct buffers; the others are heap buffers
     */
    static Result decode(byte[] body, ResponseDecoder.Mode mode, int[] cuts, IntPredicate direct) {
        ResponseDecoder decoder = new ResponseDecoder(mode);
        List<Row> rows = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int end = i < cuts.length ? cuts[i] : body.length;
            rows.addAll(feed(decoder, body, start, end, direct.test(i)));
            start = end;
        }
        return new Result(rows, decoder.finish());
    }

    /** Feeds {@code body[start, end)} as one chunk and checks that the decoder left the buffer as it was. */
    static List<Row> feed(ResponseDecoder decoder, byte[] body, int start, int end, boolean direct) {
        ByteBuf chunk = direct ? Unpooled.directBuffer(PREFIX.length + end - start) : Unpooled.buffer(PREFIX.length + end - start);
        try {
            chunk.writeBytes(PREFIX).writeBytes(body, start, end - start).skipBytes(PREFIX.length);
            List<Row> rows = decoder.feed(chunk);
            assertThat(chunk.refCnt()).isEqualTo(1);
            assertThat(chunk.readerIndex()).isEqualTo(PREFIX.length);
            assertThat(chunk.readableBytes()).isEqualTo(end - start);
            return rows;
        } finally {
            chunk.release();
        }
    }

    static Object[] values(Row row) {
        Object[] values = new Object[row.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        return values;
    }
}
