package dev.cratereactive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.Row;
import dev.cratereactive.internal.codec.MalformedResponseException;
import dev.cratereactive.internal.codec.ResponseDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The decoding operator between a response body's chunks and its rows: demand, end check, failures, cancel. */
class BodyRowsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String BODY = "{\"cols\":[\"n\"],\"col_types\":[10],\"rows\":[[1],[2],[3],[4],[5]],"
        + "\"rowcount\":5,\"duration\":1.0}";

    private final List<Long> chunkRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger chunksSent = new AtomicInteger();
    private final AtomicBoolean bodyCancelled = new AtomicBoolean();

    private Flux<ByteBuf> body(String text, int chunkSize) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<ByteBuf> chunks = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += chunkSize) {
            chunks.add(Unpooled.wrappedBuffer(bytes, i, Math.min(chunkSize, bytes.length - i)));
        }
        return Flux.fromIterable(chunks)
            .doOnRequest(chunkRequests::add)
            .doOnNext(chunk -> chunksSent.incrementAndGet())
            .doOnCancel(() -> bodyCancelled.set(true));
    }

    private static BodyRows rows(Flux<ByteBuf> body, List<Integer> tallied, BodyRows.EndCheck end) {
        return new BodyRows(body, new ResponseDecoder(ResponseDecoder.Mode.ROWS),
            (bytes, decoded) -> tallied.add(decoded.size()), end);
    }

    @Test
    void asksForOneChunkAtATimeAndTheNextWhenTheRowsOfTheLastWentDownstream() {
        List<Integer> tallied = new ArrayList<>();
        // 40-byte chunks: the first ones hold no row, a later one several.
        StepVerifier.create(rows(body(BODY, 40), tallied, null), 0)
            // One chunk ahead (concatMapIterable's prefetch): the first holds no row, so the second is read too.
            .then(() -> assertThat(chunksSent).as("chunks read before any demand").hasValue(2))
            .thenRequest(1)
            .assertNext(row -> assertThat(row.get(0)).isEqualTo(1L))
            .then(() -> {
                // Row 1 ends in the second chunk (which holds rows 1 to 5): the third is not asked for yet.
                assertThat(chunksSent).as("chunks up to the first row only").hasValue(2);
                assertThat(chunkRequests).containsOnly(1L);
            })
            .thenRequest(4)
            .expectNextMatches(row -> row.get(0).equals(2L))
            .expectNextMatches(row -> row.get(0).equals(3L))
            .expectNextMatches(row -> row.get(0).equals(4L))
            .expectNextMatches(row -> row.get(0).equals(5L))
            .expectComplete()
            .verify(WAIT);
        assertThat(chunkRequests).containsOnly(1L);
        assertThat(tallied.stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
        assertThat(bodyCancelled).isFalse();
    }

    @Test
    void runsTheEndCheckAfterTheLastRowAndFailsWithItsError() {
        List<String> order = new CopyOnWriteArrayList<>();
        BodyRows rows = rows(body(BODY, 7), new ArrayList<>(), () -> {
            order.add("end");
            throw new IllegalStateException("server error");
        });
        StepVerifier.create(rows.doOnNext(row -> order.add("row" + row.get(0))))
            .expectNextCount(5)
            .expectErrorMessage("server error")
            .verify(WAIT);
        assertThat(order).containsExactly("row1", "row2", "row3", "row4", "row5", "end");
    }

    @Test
    void completesAfterAPassingEndCheck() {
        AtomicInteger checks = new AtomicInteger();
        StepVerifier.create(rows(body(BODY, 1000), new ArrayList<>(), checks::incrementAndGet))
            .expectNextCount(5)
            .expectComplete()
            .verify(WAIT);
        assertThat(checks).hasValue(1);
    }

    @Test
    void aDecodeFailureCancelsTheBodyAndFails() {
        String broken = "{\"cols\":[\"n\"],\"col_types\":[10],\"rows\":[[1],[2]],}}}garbage";
        // One byte per chunk: row 2 ends in a chunk of its own, before the one that fails.
        StepVerifier.create(rows(body(broken, 1), new ArrayList<>(), null))
            .expectNextCount(2)
            .expectError(MalformedResponseException.class)
            .verify(WAIT);
        assertThat(bodyCancelled).isTrue();
    }

    @Test
    void aCancelGoesToTheBody() {
        StepVerifier.create(rows(body(BODY, 3), new ArrayList<>(), () -> {
                throw new AssertionError("no end check after a cancel");
            }), 1)
            .assertNext(row -> assertThat(row.get(0)).isEqualTo(1L))
            .thenCancel()
            .verify(WAIT);
        assertThat(bodyCancelled).isTrue();
    }

    @Test
    void aBodyErrorIsPassedOn() {
        // The first 48 bytes hold rows 1 and 2 and the start of 3.
        Flux<ByteBuf> failing = body(BODY.substring(0, 48), 10).concatWith(Flux.error(new IllegalStateException("reset")));
        StepVerifier.create(rows(failing, new ArrayList<>(), () -> {
                throw new AssertionError("no end check after a body error");
            }))
            .expectNextCount(2)
            .expectErrorMessage("reset")
            .verify(WAIT);
    }

    @Test
    void unboundedDemandTakesEveryRow() {
        List<Row> all = rows(body(BODY, 2), new ArrayList<>(), null).collectList().block(WAIT);
        assertThat(all).extracting(row -> row.get(0)).containsExactly(1L, 2L, 3L, 4L, 5L);
    }
}
