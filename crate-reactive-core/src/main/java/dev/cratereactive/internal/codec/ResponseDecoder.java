package dev.cratereactive.internal.codec;

import dev.cratereactive.Row;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Decodes one {@code /_sql} response body incrementally with Jackson's non-blocking parser: bytes go in chunk
 * by chunk as the network delivers them, complete rows come out at once. One instance per response; not
 * thread-safe (Reactor serializes the chunks).
 */
public final class ResponseDecoder {

    /** What to do with {@code rows}. */
    public enum Mode {
        /** Build a {@link Row} for each element of {@code rows}. */
        ROWS,
        /** Count the elements of {@code rows} without building values ({@code execute}). */
        DISCARD_ROWS,
        /** Expect a bulk response ({@code results}). */
        BULK
    }

    /** @param mode what to do with rows */
    public ResponseDecoder(Mode mode) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Parses the readable bytes of {@code chunk}. The buffer is neither retained nor released, and the decoder
     * keeps no reference to it after returning.
     *
     * @param chunk the next bytes of the body
     * @return the rows completed within this chunk, in order; an empty list when none
     * @throws MalformedResponseException if the bytes are not valid JSON or not the shape of a response
     */
    public List<Row> feed(ByteBuf chunk) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Ends the input.
     *
     * @return everything the response said besides its rows
     * @throws MalformedResponseException if the body ended before the top-level JSON object was complete
     */
    public DecodedResponse finish() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
