package dev.cratereactive.testing;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;

/**
 * A large {@code /_sql} result body made on the fly, for streaming and back-pressure tests: columns
 * {@code id BIGINT, name TEXT, v DOUBLE}, row {@code i} is {@code [i, "name-000000i", i * 0.5]}.
 */
public final class GeneratedResult {

    private GeneratedResult() {
    }

    /**
     * @param rows how many rows
     * @param rowsPerChunk rows per emitted chunk
     * @param rowsProduced counts the rows handed to the server so far (how far the client let it get)
     * @return the body in chunks, produced only as the server can write them
     */
    public static Flux<byte[]> body(long rows, int rowsPerChunk, AtomicLong rowsProduced) {
        String head = "{\"cols\":[\"id\",\"name\",\"v\"],\"col_types\":[10,4,6],\"rows\":[";
        String tail = "],\"rowcount\":" + rows + ",\"duration\":12.5}";
        long chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        Flux<byte[]> middle = Flux.generate(() -> 0L, (chunk, sink) -> {
            if (chunk >= chunks) {
                sink.complete();
                return chunk;
            }
            StringBuilder text = new StringBuilder(rowsPerChunk * 40);
            long first = chunk * rowsPerChunk;
            long last = Math.min(rows, first + rowsPerChunk);
            for (long i = first; i < last; i++) {
                if (i > 0) {
                    text.append(',');
                }
                text.append('[').append(i).append(",\"").append(name(i)).append("\",").append(i * 0.5).append(']');
            }
            rowsProduced.addAndGet(last - first);
            sink.next(text.toString().getBytes(StandardCharsets.UTF_8));
            return chunk + 1;
        });
        return Flux.concat(Flux.just(head.getBytes(StandardCharsets.UTF_8)), middle,
            Flux.just(tail.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param i row number
     * @return the name column of row {@code i}
     */
    public static String name(long i) {
        return String.format("name-%010d", i);
    }
}
