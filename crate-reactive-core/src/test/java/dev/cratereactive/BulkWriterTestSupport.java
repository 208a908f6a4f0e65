package dev.cratereactive;


import dev.cratereactive.internal.bulk.BulkWriterBuilder;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import dev.cratereactive.testing.Responder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/** What the bulk writer tests share: the in-process node, a writer for {@link Reading}s, scripted bulk answers. */
abstract class BulkWriterTestSupport extends SingleNodeTestSupport {


    static final String INSERT = "INSERT INTO readings (id, v) VALUES (?, ?)";
    static final String OK = "{\"rowcount\":1}";
    static final String SHARDS_UNAVAILABLE = "{\"rowcount\":-2,\"error\":{\"code\":5002,\"message\":"
        + "\"UnavailableShardsException[[doc][readings][1] primary shard is not active]\"}}";
    /** What CrateDB 6.4.3 answered for every row of a bulk insert in flight when {@code blocks.write} landed. */
    static final String BLOCKED_ROW = "{\"rowcount\":-2,\"error\":{\"code\":4035,\"message\":"
        + "\"ClusterBlockException[index [readings] blocked by: [FORBIDDEN/8/index write (api)];]\"}}";

    record Reading(long id, String v) {
    }

    static Flux<Reading> readings(long count) {
        return Flux.range(1, (int) count).map(i -> new Reading(i, "v" + i));
    }

    BulkWriterBuilder<Reading> writer() {
        if (client == null) {
            connect(CrateClient.builder());
        }
        BulkWriterBuilder<Reading> builder = (BulkWriterBuilder<Reading>) client.<Reading>bulkWriter(INSERT,
            r -> List.of(r.id(), r.v()));
        return builder.retryBackoff(Duration.ofMillis(10));
    }

    /** Answers every bulk request row by row: {@code result} gives the JSON result of the row with that id. */
    static Responder bulk(LongFunction<String> result) {
        return request -> Reply.json(200, "{\"cols\":[],\"duration\":1.5,\"results\":["
            + ids(request).stream().map(result::apply).collect(Collectors.joining(",")) + "]}");
    }

    static List<Long> ids(RecordedRequest request) {
        return StreamSupport.stream(request.json().path("bulk_args").spliterator(), false)
            .map(args -> args.get(0)).map(JsonNode::asLong).toList();
    }

    List<List<Long>> requestedIds() {
        return server.requests().stream().map(BulkWriterTestSupport::ids).toList();
    }

    /** Items requested from a source and outcomes emitted; remembers the largest difference. */
    static final class Gap {
        final AtomicLong requested = new AtomicLong();
        final AtomicLong outcomes = new AtomicLong();
        final AtomicLong max = new AtomicLong();

        <T> Flux<T> source(Flux<T> source) {
            return source.doOnRequest(n -> {
                if (n == Long.MAX_VALUE) {
                    throw new AssertionError("the writer requested an unbounded number of items");
                }
                long ahead = requested.addAndGet(n) - outcomes.get();
                max.accumulateAndGet(ahead, Math::max);
            });
        }

        void outcome(Object outcome) {
            outcomes.incrementAndGet();
        }

        long max() {
            return max.get();
        }
    }

    static List<?> args(Reading reading) {
        return List.of(reading.id(), reading.v());
    }
}
