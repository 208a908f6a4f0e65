package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.BulkWriterTestSupport.Gap;
import dev.cratereactive.BulkWriterTestSupport.Reading;
import dev.cratereactive.testing.Reply;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Ten million generated items through a writer, the client and the in-process server, in a JVM whose heap
 * (64 MiB, the {@code small-heap} surefire run) could not hold a tenth of them: the source is asked for items only
 * as their outcomes go out, so memory stays flat whatever the input size.
 */
@Tag("small-heap")
class BulkWriterMemoryTest extends SingleNodeTestSupport {

    private static final long ITEMS = 10_000_000;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // 10,000 requests on a shared 2-core machine
    void tenMillionGeneratedItemsAreWrittenInASmallHeap() {
        assertThat(Runtime.getRuntime().maxMemory()).as("max heap of this JVM").isLessThanOrEqualTo(96L << 20);
        String thousandOk = "{\"cols\":[],\"duration\":1.5,\"results\":["
            + String.join(",", Collections.nCopies(BulkWriter.DEFAULT_MAX_ROWS, BulkWriterTestSupport.OK)) + "]}";
        server.recordRequests(false);
        server.respond(request -> Reply.json(200, thousandOk));
        connect(CrateClient.builder().compressionThreshold(CrateClientBuilder.NO_COMPRESSION));
        Flux<Reading> generated = Flux.generate(() -> 1L, (id, sink) -> {
            sink.next(new Reading(id, "value-" + id));
            if (id == ITEMS) {
                sink.complete();
            }
            return id + 1;
        });
        Gap gap = new Gap();
        BulkWriter<Reading> writer = client.<Reading>bulkWriter(BulkWriterTestSupport.INSERT, r -> List.of(r.id(), r.v()))
            .linger(Duration.ofSeconds(10)) // full batches only: the canned answer has 1,000 results
            .build();

        StepVerifier.create(writer.write(gap.source(generated)).doOnNext(gap::outcome)
                .filter(outcome -> !outcome.isSuccess())
                .count())
            .expectNext(0L)
            .expectComplete()
            .verify(Duration.ofMinutes(10));

        assertThat(gap.outcomes.get()).isEqualTo(ITEMS);
        assertThat(gap.max()).as("items requested without an outcome, at most")
            .isLessThanOrEqualTo((long) BulkWriter.DEFAULT_MAX_IN_FLIGHT * BulkWriter.DEFAULT_MAX_ROWS
                + BulkWriter.DEFAULT_MAX_ROWS);
    }
}
